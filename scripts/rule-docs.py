#!/usr/bin/env python3
"""Writes docs/rules/<pack>/<name>.md for the pickle and artifact packs from the rule JSON plus the
explanations below. Run: python3 scripts/rule-docs.py (stdlib only)."""
import json, os, glob
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEXT = {
 "pickle/code-execution": ("A pickle names a callable that runs code or shell commands: `os.system` (pickled as `posix.system` or `nt.system`), `subprocess`, `builtins.eval/exec/compile`, `runpy`, debugger and profiler runners (`bdb`, `pdb`, `cProfile`, `trace`, `timeit`, `doctest`), `code.InteractiveInterpreter`, `ctypes`, `marshal` + `types.FunctionType`, cloudpickle internals, `pip.main`, torch's `compile_file` / `collect_env.run` / `execWrapper`, and more. Modules match with all their submodules, and every reading of a dotted name is tried (`pathlib` + `os.system` is `os.system`).",
   "`pickle.loads` calls the REDUCE callable while loading: there is no safe way to load the file.",
   "cposix\\nsystem\\n(S'id'\\ntR.", "Do not load the file. Rebuild the artifact in a format that cannot carry code (safetensors), or load with `torch.load(weights_only=True)` on a current PyTorch."),
 "pickle/dynamic-import": ("Resolvers and reflection: `getattr`, `__import__`, `importlib.import_module`, `pkgutil.resolve_name`, `pydoc.locate`, `operator.attrgetter/methodcaller/itemgetter`, `functools.partial`, `sys.modules`. mlvet evaluates them where the arguments are constants, so `getattr(__import__('os'), 'system')` is also reported as `os.system`. Not a dynamic import (decision record 0007): a `getattr` whose every call takes an allowlisted class, or an instance built from one, and a constant non-dunder name of one of its methods on the generated `pickle-methods` list, and whose result is never called or handed to another call. That is how pickle stores a bound method, e.g. torch 1.13 `OneCycleLR.state_dict()`.",
   "A resolver turns strings into any callable, which is how payloads get past denylists (technique E7: a denied callable reached by name at load time).",
   "c__builtin__\\ngetattr\\n(c__builtin__\\n__import__\\n(S'os'\\ntRS'system'\\ntR.", "Do not load the file."),
 "pickle/nested-pickle": ("The pickle calls a loader (`pickle.loads`, `dill.loads`, `joblib.load`, `torch.load`, `numpy.load`, `torch.storage._load_from_bytes`, `marshal.loads`, …), or a library function that downloads or opens a path and unpickles it (`gensim.utils.unpickle`, `SaveLoad.load` on any gensim class, `nltk.data.load`, `statsmodels.iolib.smpickle.load_pickle`, `sklearn.datasets.fetch_*`, Lightning's `cloud_io._load`, `torch.utils.model_zoo.load_url`). mlvet rebuilds the bytes handed to it (literal bytes, `_codecs.encode`, base64, hex, zlib, gzip, bz2, BytesIO) and scans them as a file of their own; findings inside appear with a member like `nested@<offset>`.",
   "A second-stage payload hides the real callable from scanners that only read the outer pickle (E2).",
   "dill.loads(_codecs.encode(<inner pickle>, 'latin1'))", "Do not load the file."),
 "pickle/file-access": ("The pickle names a callable that reads or writes files: `open`, `io.FileIO`, `shutil`, `logging.FileHandler`, `distutils.file_util`, `linecache`, `glob`, `tempfile`, `tarfile`, `zipfile`, `numpy.save`, `pandas.read_*`, …",
   "Loading can overwrite files (for example `~/.bashrc`) or read secrets into objects that are later sent elsewhere.",
   "c_io\\nFileIO\\n(S'/etc/passwd'\\ntR.", "Do not load the file."),
 "pickle/network-access": ("The pickle names a callable that opens network connections: `socket`, `ssl`, `urllib`, `http`, `requests`, `smtplib`, `ftplib`, `xmlrpc`, …",
   "Loading can exfiltrate data (even by DNS, e.g. `ssl.get_server_certificate`) or reach internal services (SSRF).",
   "curllib.request\\nurlopen\\n(S'http://169.254.169.254/'\\ntR.", "Do not load the file."),
 "pickle/scanner-tamper": ("The pickle reaches into a scanner (`fickling`, `picklescan`, `modelscan`, `modelaudit`, `mlvet`) or into PyTorch's `weights_only` safety settings.",
   "Only a payload has a reason to switch off the tools that look for payloads (E15).", "cpicklescan.scanner\\nscan_pickle_bytes\\n.", "Do not load the file."),
 "pickle/unknown-global": ("The pickle imports a global that is not on mlvet's allowlist (`rules/lists/pickle-globals.json`). The allowlist holds what real checkpoints use: PyTorch's `weights_only` set, numpy reconstructors, collections, scipy.sparse, pandas internals, tokenizers, Hugging Face training arguments, each with a reason, and the generated lists in `rules/lists/generated/` (scripts/gen-allowlist.py: the classes and reconstructors of scikit-learn, pandas, statsmodels, gensim, NLTK, xgboost and torch.optim, introspected from the installed libraries). A function under one of those libraries is unknown unless it is named.",
   "Every import in a pickle runs code: the class's module is imported and the callable is called. A denylist is always one advisory behind (picklescan has 48 GHSAs), so mlvet decides by allowlist and uses the denylist only to raise severity.",
   "cmylib.models\\nNet\\n)\\x81.", "If the import is your own code and you trust it, add it to `allow` in `mlvet.config.json` with a reason: `{\"allow\": [{\"module\": \"mylib.models\", \"names\": [\"Net\"], \"reason\": \"our model class\"}]}`."),
 "pickle/suspicious-name": ("An import that is not on the allowlist and whose last name is that of a function that runs commands, loads data or touches files (`system`, `popen`, `run`, `exec`, `load`, `urlopen`, `rmtree`, …).",
   "Raises an unknown import to high: a custom module's `run` or `system` is rarely a data class.", "cmylib.util\\nsystem\\n.", "Same as pickle/unknown-global."),
 "pickle/dunder-access": ("A dotted name walks through a dunder attribute: `__globals__`, `__builtins__`, `__subclasses__`, `__class__`, `__code__`, `__dict__`, …",
   "Dunder walks reach builtins and module globals from innocent-looking objects, e.g. `numpy.__builtins__` (E3g) or `f.__globals__['os']`.", "\\x80\\x04\\x8c\\x05numpy\\x8c\\x0c__builtins__\\x93.", "Do not load the file."),
 "pickle/computed-global": ("STACK_GLOBAL's module or name operand is not a constant string: it was computed at load time (`str.join`, a call result, a memo slot filled by a call). mlvet resolves what it can and still reports that the name was computed.",
   "Computing the imported name is only done to hide it from static reading (E3, E7).", "STACK_GLOBAL(str.join('', ['o','s']), 'system')", "Do not load the file."),
 "pickle/extension-registry": ("EXT1/EXT2/EXT4 opcodes take the callable from `copyreg`'s extension registry of the process that loads the file.",
   "The callable depends on the loading process and cannot be known statically; picklescan and modelscan record nothing for it (E8).", "\\x80\\x02\\x82\\x07...R.", "Do not load the file unless you control the registry and know the code."),
 "pickle/global-mutation": ("BUILD, SETITEM or APPEND applied directly to a global (a function, class or module) rather than to an object the pickle created.",
   "That is `setattr` on library code at load time, the core of gadgets like modelscan#85 and the numpy.size subscript trick (E3f, E3g).", "cnumpy\\nprod\\n}(S'a'\\nS'os'\\nsb.", "Do not load the file."),
 "pickle/indirect-call": ("REDUCE, NEWOBJ or OBJ calls something that is not a statically known global: the result of another call, a persistent-load object, or a value from a computed path.",
   "What runs is decided at load time, so no scanner can name it (E7, E8).", "mylib.make()()", "Do not load the file."),
 "pickle/frame-divergence": ("An opcode runs past the end of its protocol-4 FRAME, or a FRAME starts inside another. CPython's C unpickler and the pure-Python one (and linear scanners) read such bytes differently. mlvet reports it, marks the scan inconclusive, and reads the disputed bytes as opcodes too.",
   "A payload buried inside what a linear reader takes for a byte string runs in the C unpickler (cpython issue 154848; E8).", "PROTO 5, FRAME 2, BINBYTES straddling the frame, buried GLOBAL os system …", "Do not load the file."),
 "pickle/nested-opaque": ("A loader inside the pickle is fed data mlvet cannot rebuild (read from a file, fetched, or built by an unknown call).",
   "The second stage was not scanned; this is reported so a partial scan is never taken for a clean one.", "pickle.loads(open('/tmp/x','rb').read())", "Do not load the file."),
 "pickle/trailing-data": ("Bytes after the last STOP that do not parse as another pickle.",
   "`pickle.load` ignores them, but a loader that reads several pickles (legacy PyTorch reads five) or another format reader may not; it is also where nullifAI-style payloads hide (E9, E10).", "<pickle>.\\xff\\xfe", "Check where the bytes come from. Suppress with a reason in `.mlvetignore` if the format legitimately appends data."),
 "pickle/torch-bytes-unscanned": ("`torch.storage._load_from_bytes` is how a plain `pickle.dumps(tensor)` stores a tensor's storage: it calls `torch.load` on embedded bytes. mlvet rebuilds those bytes and scans them like any file, so a payload it could scan is judged by its own findings; this rule fires only when the bytes could not be rebuilt (or were never passed).",
   "`_load_from_bytes` is `torch.load` with `weights_only=False`: an unscanned payload is a second-stage pickle that runs unchecked (PS Malicious variants, E2).", "torch.storage._load_from_bytes(open(...).read())", "Do not load the file."),
 "artifact/symlink-escape": ("A symlink inside the scanned directory points outside it. mlvet does not follow it.",
   "A loader that follows it reads files it should not (credentials, other models): the ONNX external-data CVEs are this class.", "weights.bin -> /home/user/.ssh/id_rsa", "Replace the link with the file it should be, or remove it."),
 "artifact/special-file": ("A device, FIFO or socket inside an artifact. mlvet does not read it.",
   "Reading a FIFO blocks a loader forever; a device file reads hardware.", "mkfifo model.bin", "Remove it from the artifact."),
}
for path in sorted(glob.glob(os.path.join(ROOT, "rules", "*", "*.json"))):
    d = json.load(open(path))
    if "id" not in d or d["id"] not in TEXT: continue
    what, why, example, fix = TEXT[d["id"]]
    refs = "\n".join(f"- {r['type'].upper()} {r['id']}" + (f": {r['url']}" if r.get('url') else "") for r in d.get("references", []))
    # the built-in check (src/rules/checks/) that decides the rest, when the rule names one
    check = f" · **Check:** `{d['check']['name']}`" if "check" in d else ""
    out = f"""# {d['id']}

**Severity:** {d['severity']} · **Technique:** {d.get('technique', '—')} · **Matches facts:** `{d['match']['fact']}`{check}

{d['title']}.

## What it detects
{what}

## Why it matters
{why}

## Example
```
{example}
```

## How to fix or suppress
{fix} To accept a reviewed file, add a line to `.mlvetignore`: `{d['id']} path/to/file  # reason` (optionally `expires=YYYY-MM-DD`); suppressed findings stay visible in JSON and SARIF.

## References
{refs or '- none'}
"""
    dst = os.path.join(ROOT, "docs", "rules", d["id"] + ".md")
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    open(dst, "w").write(out)
print("ok")
