import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { MlvetError } from '../../errors.js';
import { loadRuleSet } from '../../rules/load.js';
import { BUILTIN_RULES_DIR, packagePath } from '../../package.js';
import { atCwd, type RunContext } from '../io.js';

export function register(program: Command, { io }: RunContext): void {
  const rules = program.command('rules').description('the rule catalogue, with docs');
  rules
    .command('list')
    .description('list every rule')
    .option('--rules <dir>', 'include an extra rule pack')
    .option('--json', 'as JSON')
    .action((opts: { rules?: string; json?: boolean }) => {
      const set = loadRuleSet(opts.rules ? [BUILTIN_RULES_DIR, atCwd(io, opts.rules)] : undefined);
      if (opts.json) {
        io.stdout.write(JSON.stringify(set.rules.map(({ source: _s, ...r }) => r), null, 2) + '\n');
        return;
      }
      for (const r of set.rules) io.stdout.write(`${r.id.padEnd(34)} ${r.severity.padEnd(8)} ${r.title}\n`);
    });
  rules
    .command('show <id>')
    .description('show one rule and its documentation')
    .action((id: string) => {
      const set = loadRuleSet();
      const r = set.rules.find((x) => x.id === id);
      if (!r) throw new MlvetError('NOT_FOUND', `no rule "${id}"; see mlvet rules list`);
      const out = [`${r.id} (${r.severity})`, r.title, '', `message: ${r.message}`];
      if (r.technique) out.push(`technique: ${r.technique}`);
      for (const ref of r.references ?? []) out.push(`reference: ${ref.type.toUpperCase()} ${ref.id}${ref.url ? ` ${ref.url}` : ''}`);
      const doc = packagePath('docs', 'rules', `${r.id}.md`);
      if (existsSync(doc)) out.push('', readFileSync(doc, 'utf8').trimEnd());
      io.stdout.write(out.join('\n') + '\n');
    });
}
