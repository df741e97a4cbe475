/**
 * PyTorch's ZIP layout (torch.save since 1.6, TorchScript): `<root>/data.pkl` (the object pickle),
 * `<root>/data/<key>` (raw tensor storages), `<root>/version`, `<root>/byteorder`,
 * `<root>/.data/serialization_id`; TorchScript adds `<root>/code/**`, `<root>/constants.pkl`.
 * Storages are never pickles for the loader; we still sniff their first bytes, because a member's name
 * does not decide how `torch.load(pickle_file=…)` reads it. A pickle-looking head is only believed when
 * the whole member is one complete pickle (storage.ts): float noise often starts with an opcode byte.
 */

export interface TorchZipLayout {
  /** archive root folder (`archive`, or the stem torch.save used) */
  root: string;
  torchscript: boolean;
}

export function torchZipLayout(names: readonly string[]): TorchZipLayout | undefined {
  const set = new Set(names);
  for (const n of names) {
    if (!n.endsWith('/data.pkl')) continue;
    const root = n.slice(0, -'/data.pkl'.length);
    if (root.includes('/')) continue;
    const marker = set.has(`${root}/version`) || set.has(`${root}/.data/version`) || names.some((x) => x.startsWith(`${root}/data/`));
    if (!marker) continue;
    return { root, torchscript: set.has(`${root}/constants.pkl`) || names.some((x) => x.startsWith(`${root}/code/`)) };
  }
  return undefined;
}

/** A raw storage member (`<root>/data/<key>`): tensor bytes, read only if its head looks like something else. */
export function isStorageMember(layout: TorchZipLayout, name: string): boolean {
  const p = `${layout.root}/data/`;
  return name.startsWith(p) && /^[0-9A-Za-z_]+$/.test(name.slice(p.length));
}
