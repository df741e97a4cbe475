/**
 * Callables that unpickle (or unmarshal) data handed to them. When a pickle calls one on bytes it
 * built, those bytes are a second-stage payload: we rebuild them and scan them too.
 */
export const NESTED_LOADERS: ReadonlyArray<{ module: string; names: string[] }> = [
  { module: 'pickle', names: ['loads', 'load', 'Unpickler', '_loads', '_load', '_Unpickler'] },
  { module: 'dill', names: ['loads', 'load', 'Unpickler'] },
  { module: 'dill._dill', names: ['loads', 'load', 'Unpickler'] },
  { module: 'cloudpickle', names: ['loads', 'load'] },
  { module: 'joblib', names: ['load'] },
  { module: 'joblib.numpy_pickle', names: ['load', '_unpickle'] },
  { module: 'torch', names: ['load'] },
  { module: 'torch.serialization', names: ['load', '_load', '_legacy_load'] },
  { module: 'torch.storage', names: ['_load_from_bytes'] },
  { module: 'torch.utils._config_module', names: ['ConfigModule.load_config'] },
  { module: 'torch.utils.data.datapipes.utils.decoder', names: ['basichandlers'] },
  { module: 'lib2to3.pgen2.grammar', names: ['Grammar.loads'] },
  { module: 'numpy', names: ['load', 'loads'] },
  { module: 'numpy.core.numeric', names: ['loads'] },
  { module: 'numpy.ma', names: ['loads', 'load'] },
  { module: 'pandas.compat.pickle_compat', names: ['loads', 'load'] },
  { module: 'numpy.lib.npyio', names: ['load'] },
  { module: 'pandas', names: ['read_pickle'] },
  { module: 'pandas.io.pickle', names: ['read_pickle'] },
  { module: 'shelve', names: ['open', 'Shelf', 'DbfilenameShelf'] },
  { module: 'marshal', names: ['loads', 'load'] },
];

export function isNestedLoader(readings: ReadonlyArray<{ module: string; name: string }>): string | undefined {
  for (const r of readings) {
    for (const l of NESTED_LOADERS) {
      if (r.module === l.module && l.names.includes(r.name)) return `${r.module}.${r.name}`;
    }
  }
  return undefined;
}
