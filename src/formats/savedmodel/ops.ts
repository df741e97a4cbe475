/**
 * TensorFlow ops that reach outside the graph: run Python or processes, read or write files, talk to
 * the network. From the unsafe-op lists of ModelAudit and modelscan plus the reader/dataset/summary ops
 * that open paths. Ops that are ordinary in benign graphs (Assert, Print to stderr, Queue*, Decode*)
 * are left out; checkpoint ops are judged by where they sit (see scanners/tf.ts).
 */

export type TfOpCategory = 'python' | 'process' | 'file-read' | 'file-write' | 'checkpoint-read' | 'checkpoint-write' | 'network' | 'print';

const TABLE: Record<TfOpCategory, string[]> = {
  python: ['PyFunc', 'PyFuncStateless', 'EagerPyFunc', 'PyCall'],
  process: ['ShellExecute', 'ExecuteOp', 'SystemConfig'],
  'file-read': [
    'ReadFile', 'MatchingFiles', 'InitializeTableFromTextFile', 'InitializeTableFromTextFileV2', 'LoadAndRemapMatrix',
    'ImmutableConst', 'WholeFileReader', 'WholeFileReaderV2', 'TextLineReader', 'TextLineReaderV2',
    'FixedLengthRecordReader', 'FixedLengthRecordReaderV2', 'TFRecordReader', 'TFRecordReaderV2',
    'TextLineDataset', 'TFRecordDataset', 'TFRecordDatasetV2', 'FixedLengthRecordDataset', 'FixedLengthRecordDatasetV2',
    'MatchingFilesDataset', 'LoadDataset', 'ExperimentalMatchingFilesDataset',
  ],
  'file-write': ['WriteFile', 'CreateSummaryFileWriter', 'SaveDataset', 'SaveDatasetV2', 'DatasetToTFRecord', 'ExperimentalDatasetToTFRecord', 'DebugIdentityV2'],
  'checkpoint-read': ['Restore', 'RestoreV2', 'RestoreSlice'],
  'checkpoint-write': ['Save', 'SaveV2', 'SaveSlices', 'MergeV2Checkpoints'],
  network: ['DebugIdentity', 'DebugNanCount', 'DebugNumericSummary', 'DebugNumericSummaryV2'],
  print: ['PrintV2'],
};

const BY_OP = new Map<string, TfOpCategory>(Object.entries(TABLE).flatMap(([cat, ops]) => ops.map((op) => [op, cat as TfOpCategory])));

export function opCategory(op: string): TfOpCategory | undefined {
  return BY_OP.get(op);
}
