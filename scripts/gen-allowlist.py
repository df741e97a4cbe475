#!/usr/bin/python3
"""Generate the named pickle allowlist entries for scikit-learn, pandas, statsmodels, gensim, NLTK,
xgboost and torch.optim from the installed libraries (issue 10). Replaces the old whole-namespace
wildcards (`sklearn *`, `pandas.core *`, `gensim *`, …): a wildcard allowed every function under a
package, and those packages hold functions that run a subprocess, download and unpickle a URL, or
write files. An entry names what real artifacts use: classes, and the few reconstructor functions
their __reduce__ returns. A function under an allowed namespace is unknown unless it is named here.

Needs Debian's interpreter and packages (not a pyenv python3):
    apt-get install -y python3-sklearn python3-pandas python3-statsmodels python3-gensim \
        python3-nltk python3-xgboost python3-torch
Run:  /usr/bin/python3 scripts/gen-allowlist.py            (writes rules/lists/generated/*.json)
      /usr/bin/python3 scripts/gen-allowlist.py --check    (exit 1 if the committed files differ)

What is kept, per library (see LIBRARIES):
  * classes defined in the library's non-test modules that pass that library's `keep` predicate
    (estimator, model/results, optimizer… base classes, or a compiled extension type, which is what
    Cython __reduce__ helpers rebuild), minus any class whose __init__/__new__/__setstate__ source
    calls a subprocess, the network, a file opener, a pickle loader or exec/eval (printed as excluded);
  * functions only by name: Cython's generated `__pyx_unpickle_<Type>` reconstructors, and the
    reconstructors listed in REDUCERS, each with the reason it is safe.
"""
import gzip
import importlib
import inspect
import io
import json
import pickletools
import pkgutil
import re
import sys
import warnings
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / 'rules' / 'lists' / 'generated'
HEAPTYPE = 1 << 9
# source of a constructor / state setter that must not be on an allowlist
DANGER = re.compile(
    r'subprocess|os\.system|os\.popen|os\.exec|urlopen|urlretrieve|requests\.|http\.client|'
    r'pickle\.loads?\(|joblib\.load|torch\.load|cloudpickle|\bexec\(|\beval\(|\bopen\(|smart_open|'
    r'shutil\.|os\.remove|os\.unlink|__import__|importlib'
)
# modules never walked: tests, dataset downloaders, external-tool wrappers, I/O and eval front ends
SKIP = re.compile(
    r'(^|\.)(tests?|testing|_testing|conftest|datasets|externals|_build_utils|__check_build|'
    r'estimator_checks|_show_versions|benchmarks?|sandbox|examples|downloader|app|corpus|'
    r'computation|io|iolib|plotting|_config|distributed|cuda|spark|dask|dask_?.*|rabit|collective|'
    r'tracker|nosy|similarities|scripts|test_.*)(\.|$)'
)
# reconstructor functions that real pickles call, by module, with why constructing through them is safe
REDUCERS = {
    'sklearn.neighbors._kd_tree': (['newObj'], 'KDTree.__reduce__ helper: newObj(cls) is cls.__new__(cls)'),
    'sklearn.neighbors._ball_tree': (['newObj'], 'BallTree.__reduce__ helper: newObj(cls) is cls.__new__(cls)'),
    'sklearn.metrics._dist_metrics': (['newObj'], 'DistanceMetric.__reduce__ helper: newObj(cls) is cls.__new__(cls)'),
    'sklearn.metrics._scorer': (['_passthrough_scorer'], 'the default scorer of *SearchCV: calls estimator.score'),
    'pandas.core.indexes.base': (['_new_Index'], 'Index.__reduce__: builds an Index of the given class from data'),
    'pandas.core.indexes.period': (['_new_PeriodIndex'], 'PeriodIndex.__reduce__'),
    'pandas.core.internals.blocks': (['new_block', 'new_block_2d'], 'BlockManager state: a block from values and placement'),
}


# functions real artifacts store as hyper-parameter or attribute values (referenced, not called, by the
# pickle): each is pure computation; their source is checked against DANGER like a constructor's
VALUE_FUNCTIONS = {
    'sklearn.feature_selection._univariate_selection': (
        ['chi2', 'f_classif', 'f_oneway', 'f_regression', 'r_regression'],
        'score function stored as SelectKBest/SelectPercentile(score_func=...): statistics on arrays'),
    'sklearn.feature_selection._mutual_info': (
        ['mutual_info_classif', 'mutual_info_regression'], 'score function stored as score_func: statistics on arrays'),
    'sklearn.cluster._kmeans': (
        ['_kmeans_single_elkan', '_kmeans_single_lloyd'], 'the k-means step BisectingKMeans keeps as an attribute'),
    'gensim.utils': (['call_on_class_only', 'identity'],
                     'call_on_class_only (set as an instance .load) only raises AttributeError; identity returns its argument'),
    'gensim.models.tfidfmodel': (['df2idf', 'precompute_idfs'], "TfidfModel's default wglobal: the idf formula"),
    'torch.optim.swa_utils': (['SWALR._cosine_anneal', 'SWALR._linear_anneal'],
                              'static anneal functions SWALR stores as anneal_func: arithmetic on floats'),
}
# libraries whose real state holds bound methods (getattr(<instance>, "method") in the pickle): their classes'
# non-dunder methods go to the pickle-methods list that decision record 0007's getattr exemption reads
METHOD_LIBS = {'torch', 'nltk'}
CORPORA = [ROOT / 'fixtures' / 'benign', ROOT / 'fixtures' / 'pickle' / 'benign-extra']


def base(path):
    mod, _, name = path.rpartition('.')
    try:
        return getattr(importlib.import_module(mod), name)
    except Exception:  # an optional base class not in this version
        return None


def subclass_of(*paths):
    bases = tuple(b for b in (base(p) for p in paths) if isinstance(b, type))
    return lambda cls: bool(bases) and issubclass(cls, bases)


def extension_type(cls):
    return not (cls.__flags__ & HEAPTYPE)


def any_of(*preds):
    return lambda cls: any(p(cls) for p in preds)


def everything(cls):
    return True


LIBRARIES = [
    # (package, namespaces walked, keep(cls), reason for a kept class)
    ('sklearn', ['sklearn'],
     lambda: any_of(subclass_of('sklearn.base.BaseEstimator'), extension_type,
                    subclass_of('sklearn.utils._bunch.Bunch', 'sklearn._loss.loss.BaseLoss',
                                'sklearn._loss.link.BaseLink', 'sklearn._loss.link.Interval',
                                'sklearn.ensemble._gb_losses.LossFunction',
                                'sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor',
                                'sklearn.neural_network._stochastic_optimizers.BaseOptimizer',
                                'sklearn.calibration._CalibratedClassifier',
                                'sklearn.calibration._SigmoidCalibration',
                                'sklearn.gaussian_process.kernels.Kernel',
                                'sklearn.gaussian_process.kernels.Hyperparameter',
                                'sklearn.compose._column_transformer.make_column_selector',
                                'sklearn.metrics._scorer._BaseScorer',
                                'sklearn.model_selection._split.BaseCrossValidator',
                                'sklearn.model_selection._split.BaseShuffleSplit',
                                'sklearn.model_selection._split._RepeatedSplits',
                                'sklearn.tree._export.Sentinel')),
     'scikit-learn estimator (BaseEstimator subclass), fitted-state helper class or Cython extension type'),
    ('pandas', ['pandas.core'],
     lambda: any_of(lambda c: not issubclass(c, BaseException) and not c.__module__.startswith(
         ('pandas.core.computation', 'pandas.core.groupby', 'pandas.core.window', 'pandas.core.resample',
          'pandas.core.reshape', 'pandas.core.strings', 'pandas.core.tools', 'pandas.core.apply',
          'pandas.core.interchange', 'pandas.core.methods', 'pandas.core.ops', 'pandas.core.accessor',
          'pandas.core.indexing', 'pandas.core.config_init', 'pandas.core.util'))),
     'pandas frame, series, index, block, array or dtype class (what DataFrame/Series pickles rebuild)'),
    ('statsmodels', ['statsmodels'],
     lambda: any_of(subclass_of('statsmodels.base.model.Model', 'statsmodels.base.model.Results',
                                'statsmodels.base.wrapper.ResultsWrapper', 'statsmodels.base.data.ModelData',
                                'statsmodels.genmod.families.family.Family',
                                'statsmodels.genmod.families.links.Link',
                                'statsmodels.genmod.families.varfuncs.VarianceFunction',
                                'statsmodels.tsa.statespace.representation.Representation',
                                'statsmodels.tsa.arima.specification.SARIMAXSpecification',
                                'statsmodels.tsa.arima.params.SARIMAXParams',
                                'statsmodels.tools.sm_exceptions.ModelWarning',
                                'statsmodels.tsa.deterministic.DeterministicTerm',
                                'statsmodels.tsa.statespace.mlemodel.PredictionResults'),
                    extension_type),
     'statsmodels model, results, wrapper, data, family/link or state-space class'),
    ('gensim', ['gensim.models', 'gensim.corpora', 'gensim.utils', 'gensim.interfaces', 'gensim.matutils'],
     lambda: any_of(subclass_of('gensim.utils.SaveLoad'), extension_type),
     'gensim model, keyed-vectors or dictionary class (SaveLoad subclass); its .load classmethod stays unlisted'),
    ('nltk', ['nltk.tokenize', 'nltk.classify', 'nltk.probability', 'nltk.tag', 'nltk.stem', 'nltk.lm',
              'nltk.collocations', 'nltk.tree', 'nltk.grammar', 'nltk.featstruct'],
     lambda: any_of(subclass_of('nltk.tokenize.api.TokenizerI', 'nltk.classify.api.ClassifierI',
                                'nltk.probability.ProbDistI', 'nltk.probability.FreqDist',
                                'nltk.probability.ConditionalFreqDist', 'nltk.tokenize.punkt.PunktParameters',
                                'nltk.tokenize.punkt.PunktLanguageVars', 'nltk.tokenize.punkt.PunktToken',
                                'nltk.tag.api.TaggerI', 'nltk.stem.api.StemmerI', 'nltk.tree.Tree',
                                'nltk.classify.maxent.MaxentFeatureEncodingI')),
     'NLTK tokenizer, classifier, tagger, stemmer or probability class (punkt and classifier pickles)'),
    ('xgboost', ['xgboost'],
     lambda: subclass_of('xgboost.sklearn.XGBModel', 'xgboost.core.Booster'),
     'xgboost scikit-learn API model or Booster (pickled as its raw model bytes)'),
    ('torch', ['torch.optim'],
     lambda: subclass_of('torch.optim.optimizer.Optimizer', 'torch.optim.lr_scheduler._LRScheduler',
                         'torch.optim.lr_scheduler.ReduceLROnPlateau', 'torch.optim.swa_utils.SWALR'),
     'torch.optim optimizer or learning-rate scheduler class'),
]


def walk(namespaces):
    seen = set()
    for ns in namespaces:
        try:
            root = importlib.import_module(ns)
        except Exception:
            continue
        names = [ns]
        if hasattr(root, '__path__'):
            names += [m.name for m in pkgutil.walk_packages(root.__path__, ns + '.', onerror=lambda _: None)]
        for name in names:
            if name in seen or SKIP.search(name[len(ns):]) or SKIP.search(name.split('.', 1)[-1]):
                continue
            seen.add(name)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    yield name, importlib.import_module(name)
            except Exception:  # optional dependency missing: nothing of it can be in a pickle made here
                continue


# classes whose constructor matched DANGER and was read by hand: why it is still safe to construct
REVIEWED = {
    'gensim.models.phrases.Phrases': '__init__ round-trips its own scoring function through pickle.dumps/loads '
                                     'to check it is picklable; it reads no outside bytes',
}


def dangerous(cls):
    if f'{cls.__module__}.{cls.__qualname__}' in REVIEWED:
        return None
    for meth in ('__init__', '__new__', '__setstate__', '__reduce__', '__reduce_ex__'):
        fn = cls.__dict__.get(meth)
        if fn is None:
            continue
        try:
            src = inspect.getsource(fn)
        except (TypeError, OSError):
            continue
        if DANGER.search(src):
            return meth
    return None


def collect(namespaces, keep):
    classes, funcs, excluded = {}, {}, []
    kept, reexports = set(), []
    for modname, mod in walk(namespaces):
        for attr, obj in sorted(vars(mod).items()):
            if isinstance(obj, type) and obj.__module__ != modname and hasattr(mod, '__path__'):
                reexports.append((modname, attr, obj))  # a package's public name: Hydra targets use these
            if isinstance(obj, type) and obj.__module__ == modname and not issubclass(obj, BaseException):
                if not keep(obj):
                    continue
                why = dangerous(obj)
                if why:
                    excluded.append(f'{modname}.{attr} ({why})')
                    continue
                classes.setdefault(modname, set()).add(attr)
                kept.add(obj)
            elif attr.startswith('__pyx_unpickle_') and callable(obj):
                funcs.setdefault(modname, set()).add(attr)
        names, _ = REDUCERS.get(modname, ([], ''))
        if modname.startswith('pandas.core.indexes.'):  # Index subclasses' __reduce__ reconstructors
            names = names + [a for a, o in vars(mod).items() if a.startswith('_new_') and inspect.isfunction(o)
                             and o.__module__ == modname]
        for n in names:
            if callable(getattr(mod, n, None)):
                funcs.setdefault(modname, set()).add(n)
        for n in VALUE_FUNCTIONS.get(modname, ([], ''))[0]:
            fn = resolve(mod, n)
            assert fn is not None and not DANGER.search(inspect.getsource(fn)), f'{modname}.{n}'
            funcs.setdefault(modname, set()).add(n)
    for modname, attr in corpus_globals(namespaces):
        obj = resolve_path(modname, attr)
        if isinstance(obj, type) and not issubclass(obj, BaseException) and attr not in classes.get(modname, ()):
            why = dangerous(obj)
            if why:
                excluded.append(f'{modname}.{attr} ({why}, seen in a corpus)')
            else:
                classes.setdefault(modname, set()).add(attr)
                kept.add(obj)
    for modname, attr, obj in reexports:
        if obj in kept and not attr.startswith('_'):
            classes.setdefault(modname, set()).add(attr)
    return classes, funcs, excluded


def resolve(mod, dotted):
    obj = mod
    for part in dotted.split('.'):
        obj = getattr(obj, part, None)
    return obj


def resolve_path(modname, attr):
    try:
        return resolve(importlib.import_module(modname), attr)
    except Exception:
        return None


def pickle_globals(data):
    found, strings, memo = set(), [], {}
    try:
        for op, arg, _ in pickletools.genops(io.BytesIO(data)):
            if op.name in ('GLOBAL', 'INST'):
                found.add(tuple(arg.split(' ', 1)))
            elif op.name in ('MEMOIZE', 'PUT', 'BINPUT', 'LONG_BINPUT') and strings:
                memo[len(memo) if op.name == 'MEMOIZE' else arg] = strings[-1]
            elif op.name in ('GET', 'BINGET', 'LONG_BINGET'):
                strings.append(memo.get(arg, ''))
            elif isinstance(arg, str):
                strings.append(arg)
            elif op.name == 'STACK_GLOBAL' and len(strings) >= 2:
                found.add((strings[-2], strings[-1]))
    except Exception:  # a pickle followed by array bytes (joblib) ends the walk; what came before counts
        pass
    return found


def corpus_files():
    for root in CORPORA:
        for path in sorted(root.rglob('*')) if root.exists() else []:
            if not path.is_file() or path.suffix in ('.py', '.json', '.md'):
                continue
            raw = path.read_bytes()
            if raw[:2] == b'PK':
                with zipfile.ZipFile(path) as z:
                    for n in z.namelist():
                        if n.endswith('.pkl'):
                            yield z.read(n)
            elif raw[:2] == b'\x1f\x8b':
                yield gzip.decompress(raw)
            elif raw[:1] == b'x':
                try:
                    yield zlib.decompress(raw)
                except zlib.error:
                    yield raw
            else:
                yield raw


_CORPUS = None


def corpus_globals(namespaces):
    """Classes the committed benign corpora really reference: the fitted-state helpers __reduce__ returns."""
    global _CORPUS
    if _CORPUS is None:
        _CORPUS = set()
        for data in corpus_files():
            _CORPUS |= pickle_globals(data)
    return sorted((m, n) for m, n in _CORPUS if any(m == ns or m.startswith(ns + '.') for ns in namespaces)
                  and not SKIP.search(m))


def methods(doc):
    """Non-dunder methods (own or inherited within the library) of each kept class, as Class.method."""
    entries = []
    for e in doc['entries']:
        mod = importlib.import_module(e['module'])
        names = []
        for cname in e['names']:
            cls = getattr(mod, cname, None)
            if not isinstance(cls, type) or cls.__module__ != e['module']:
                continue
            root = cls.__module__.split('.')[0]
            for a in dir(cls):
                owner = next((k for k in cls.__mro__ if a in k.__dict__), None)
                if a.startswith('__') or owner is None or not owner.__module__.startswith(root):
                    continue
                v = owner.__dict__[a]
                fn = v.__func__ if isinstance(v, (staticmethod, classmethod)) else v
                if inspect.isfunction(fn) and not DANGER.search(inspect.getsource(fn)):
                    names.append(f'{cname}.{a}')
        if names:
            entries.append({'module': e['module'], 'names': sorted(names), 'reason':
                            'a method of an allowlisted class: getattr(<class or instance>, "method") yields it '
                            '(a bound method in saved state), never called at load (decision record 0007)'})
    return entries


def version_of(pkg):
    mod = importlib.import_module(pkg)
    return getattr(mod, '__version__', 'unknown')


def build(pkg, namespaces, keep, reason):
    classes, funcs, excluded = collect(namespaces, keep())
    entries = []
    for mod in sorted(set(classes) | set(funcs)):
        if classes.get(mod):
            entries.append({'module': mod, 'names': sorted(classes[mod]), 'reason': reason})
        fs = sorted(funcs.get(mod, ()))
        pyx = [f for f in fs if f.startswith('__pyx_unpickle_')]
        named = [f for f in fs if f not in pyx]
        if pyx:
            entries.append({'module': mod, 'names': pyx, 'reason':
                            "Cython's generated reconstructor: checks the layout checksum, calls Type.__new__(Type) and sets the state"})
        reducers = [f for f in named if f in REDUCERS.get(mod, ([], ''))[0] or f.startswith('_new_')]
        values = [f for f in named if f not in reducers]
        if reducers:
            entries.append({'module': mod, 'names': reducers, 'reason': REDUCERS.get(mod, (0, ''))[1] or
                            'Index subclass __reduce__ reconstructor: builds an index of its class from data'})
        if values:
            entries.append({'module': mod, 'names': values, 'reason': VALUE_FUNCTIONS[mod][1]})
    doc = {
        '$schema': '../../../schemas/list.schema.json',
        'list': 'pickle-globals',
        'description': (f'Generated by scripts/gen-allowlist.py from {pkg} {version_of(pkg)} '
                        f'(Debian bookworm, Python {sys.version_info.major}.{sys.version_info.minor}); '
                        f'walked {", ".join(namespaces)}. Do not edit by hand.'),
        'entries': entries,
    }
    return doc, excluded


def main():
    check = '--check' in sys.argv
    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for pkg, namespaces, keep, reason in LIBRARIES:
        doc, excluded = build(pkg, namespaces, keep, reason)
        text = json.dumps(doc, indent=2) + '\n'
        path = OUT / f'{pkg}.json'
        count = sum(len(e['names']) for e in doc['entries'])
        print(f'{pkg}: {count} names in {len(doc["entries"])} entries; excluded {len(excluded)}: {", ".join(excluded)}',
              file=sys.stderr)
        outputs = [(path, text)]
        if pkg in METHOD_LIBS:
            mdoc = {**doc, 'list': 'pickle-methods', 'entries': methods(doc)}
            outputs.append((OUT / f'methods-{pkg}.json', json.dumps(mdoc, indent=2) + '\n'))
        for p, t in outputs:
            if check and (not p.exists() or p.read_text() != t):
                stale.append(str(p))
            elif not check:
                p.write_text(t)
    if stale:
        print('stale: ' + ', '.join(stale), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
