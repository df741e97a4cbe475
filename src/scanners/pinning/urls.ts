/**
 * Which plain-HTTP URLs are model or data downloads: a model/data file extension, or a host known to
 * serve models. Loopback addresses cross no network and are left alone.
 */
const MODEL_EXT = /\.(bin|pt|pth|ckpt|safetensors|onnx|h5|hdf5|keras|pkl|pickle|joblib|gguf|ggml|npz|npy|pb|tflite|msgpack|zip|tar|tgz|tar\.gz|parquet|arrow|model|mlmodel|pte)(\?|#|$)/i;
const MODEL_HOST = /(^|\.)(huggingface\.co|hf\.co|hf-mirror\.com|modelscope\.cn|s3[.-][\w.-]*amazonaws\.com|storage\.googleapis\.com|blob\.core\.windows\.net|download\.pytorch\.org)$/i;

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host) || host === '0.0.0.0';
}

/** The URL when `s` is an `http://` model or data URL on a non-loopback host. */
export function insecureUrl(s: string): string | undefined {
  const m = /^http:\/\/[^\s'"<>]+$/i.exec(s.trim());
  if (!m) return undefined;
  let u: URL;
  try {
    u = new URL(m[0]);
  } catch {
    return undefined;
  }
  if (isLoopbackHost(u.hostname)) return undefined;
  return MODEL_EXT.test(u.pathname) || MODEL_HOST.test(u.hostname) ? m[0] : undefined;
}
