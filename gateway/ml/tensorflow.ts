/**
 * The one way the gateway loads TensorFlow.js. `@tensorflow/tfjs-node` is used when it
 * can be imported (it needs a native binary this project cannot download, so usually
 * it cannot); otherwise `@tensorflow/tfjs` on the WebAssembly backend, and on the plain
 * JavaScript cpu backend only if WebAssembly fails (logged: it is several times slower).
 */
type Tf = typeof import('@tensorflow/tfjs');

export interface LoadedTensorflow {
  tf: Tf;
  backend: string;
}

let loading: Promise<LoadedTensorflow> | undefined;

async function importNode(): Promise<Tf | undefined> {
  // A variable specifier keeps bundlers and the type checker from requiring the optional package.
  const name = '@tensorflow/tfjs-node';
  try {
    return (await import(name)) as Tf;
  } catch {
    return undefined;
  }
}

async function load(warn: (message: string) => void): Promise<LoadedTensorflow> {
  const node = await importNode();
  if (node) return { tf: node, backend: node.getBackend() };
  const tf = await import('@tensorflow/tfjs');
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return { tf, backend: 'wasm' };
    }
    warn('TensorFlow.js: the wasm backend did not start; using the slower cpu backend');
  } catch (error) {
    warn(`TensorFlow.js: the wasm backend failed (${(error as Error).message}); using the slower cpu backend`);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu' };
}

/** Loads once per process; later calls share the same instance and backend. */
export function loadTensorflow(warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<LoadedTensorflow> {
  loading ??= load(warn);
  return loading;
}
