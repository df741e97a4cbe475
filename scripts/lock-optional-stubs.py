#!/usr/bin/env python3
"""Adds package-lock entries for optional per-platform packages the registry here does not serve.

This workplace's npm registry returns 404 for other platforms' binaries (e.g. @rollup/rollup-android-*),
so npm writes a lock without them, and `npm ci` then rejects that lock as out of sync. Each missing
optional dependency gets an entry marked optional with its os/cpu, so `npm ci` sees the lock in sync
and skips it as a wrong-platform package without fetching. Run after any `npm install`:
  python3 scripts/lock-optional-stubs.py
"""
import json, re, sys

OS = {"android": "android", "darwin": "darwin", "freebsd": "freebsd", "linux": "linux", "openbsd": "openbsd",
      "openharmony": "openharmony", "win32": "win32", "sunos": "sunos", "aix": "aix", "netbsd": "netbsd"}
CPU = {"arm64": "arm64", "x64": "x64", "ia32": "ia32", "arm": "arm", "loong64": "loong64", "ppc64": "ppc64",
       "riscv64": "riscv64", "s390x": "s390x", "mips64el": "mips64el", "wasm32": "wasm32"}

def platform(name):
    parts = re.split(r"[-/]", name)
    os_ = next((OS[p] for p in parts if p in OS), None)
    cpu = next((CPU[p] for p in parts if p in CPU), None)
    if cpu is None and "arm" in parts: cpu = "arm"
    libc = "musl" if "musl" in parts else ("glibc" if "gnu" in parts or "gnueabihf" in parts else None)
    return os_, cpu, libc

def main(path="package-lock.json"):
    lock = json.load(open(path))
    pk = lock["packages"]
    added = 0
    for key, meta in list(pk.items()):
        for dep, rng in (meta.get("optionalDependencies") or {}).items():
            base = key + "/node_modules/" + dep if key else "node_modules/" + dep
            top = "node_modules/" + dep
            if base in pk or top in pk:
                continue
            os_, cpu, libc = platform(dep)
            if os_ is None and cpu is None:
                continue  # not a per-platform binary (e.g. fsevents is handled by npm itself)
            entry = {"version": rng.lstrip("~^=") , "optional": True}
            if meta.get("dev"): entry["dev"] = True
            if os_: entry["os"] = [os_]
            if cpu: entry["cpu"] = [cpu]
            if libc: entry["libc"] = [libc]
            pk[top] = entry
            added += 1
    lock["packages"] = dict(sorted(pk.items(), key=lambda kv: (kv[0] != "", kv[0])))
    json.dump(lock, open(path, "w"), indent=2)
    open(path, "a").write("\n")
    print(f"added {added} optional platform stubs")

if __name__ == "__main__":
    main(*sys.argv[1:])
