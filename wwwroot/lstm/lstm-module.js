// The browser's LSTM: JS glue between the Generate page's C# (CharRnn.Web.Client, through [JSImport]) and the
// WebAssembly SIMD module lstm.wasm, whose memory holds the weights and the state. C# lays the memory out and
// copies the weights in once; each step is one call here, which runs every layer and the output in the module.
let exports, memory, layout, f32;
let downloaded = null;

const cacheName = 'charrnn-models';

export async function init(url) {
    if (exports) return;
    const { instance } = await WebAssembly.instantiateStreaming(fetch(url), {});
    exports = instance.exports;
    memory = exports.memory;
    f32 = new Float32Array(memory.buffer);
}

/** Grows the module's memory to hold at least `bytes`. */
export function ensure(bytes) {
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    f32 = new Float32Array(memory.buffer); // growing detaches the old view
}

export function write(offset, view) {
    view.copyTo(new Uint8Array(memory.buffer, offset, view.byteLength));
}

/** [layers, hidden, vocab, inputRows, outputWeight, outputBias, gates, joined, logits, then per layer: weight, bias, h, c, its activated gates] (bytes). */
export function configure(values) { layout = Array.from(values); }

export function reset() {
    const [layers, hidden] = layout;
    for (let k = 0; k < layers; k++) {
        f32.fill(0, layout[11 + 5 * k] / 4, layout[11 + 5 * k] / 4 + hidden);
        f32.fill(0, layout[12 + 5 * k] / 4, layout[12 + 5 * k] / 4 + hidden);
        f32.fill(0, layout[13 + 5 * k] / 4, layout[13 + 5 * k] / 4 + 4 * hidden);
    }
}

/** Feeds one token through every layer and the output layer; writes the logits into `logitsView` (float32 bytes). */
export function step(token, logitsView) {
    const [layers, hidden, vocab, inputRows, outputWeight, outputBias, gates, joined, logits] = layout;
    const gateCount = 4 * hidden;
    let below = 0;
    for (let k = 0; k < layers; k++) {
        const weight = layout[9 + 5 * k], bias = layout[10 + 5 * k], h = layout[11 + 5 * k], c = layout[12 + 5 * k];
        f32.copyWithin(gates / 4, bias / 4, bias / 4 + gateCount);
        if (k === 0) {
            exports.add(gates, inputRows + token * gateCount * 4, gateCount);
            exports.matvec(weight, h, gates, gateCount, hidden);
        } else {
            f32.copyWithin(joined / 4, below / 4, below / 4 + hidden);
            f32.copyWithin(joined / 4 + hidden, h / 4, h / 4 + hidden);
            exports.matvec(weight, joined, gates, gateCount, 2 * hidden);
        }
        exports.cell(gates, h, c, hidden);
        f32.copyWithin(layout[13 + 5 * k] / 4, gates / 4, gates / 4 + gateCount); // kept for state()
        below = h;
    }
    f32.copyWithin(logits / 4, outputBias / 4, outputBias / 4 + vocab);
    exports.matvec(outputWeight, below, logits, vocab, hidden);
    logitsView.set(new Uint8Array(memory.buffer, logits, vocab * 4));
}

/** Layer k's state after the last step into `view` (float32 bytes): [c; h; i; f; g; o], as CharRnn.Inference.LayerStates lays it out. */
export function state(k, view) {
    const hidden = layout[1], h = layout[11 + 5 * k], c = layout[12 + 5 * k], gates = layout[13 + 5 * k];
    view.set(new Uint8Array(memory.buffer, c, hidden * 4), 0);
    view.set(new Uint8Array(memory.buffer, h, hidden * 4), hidden * 4);
    view.set(new Uint8Array(memory.buffer, gates, hidden * 16), hidden * 8);
}

/** One product y += M·x on arrays passed in, for the tests that hold the module to the C# kernel. */
export function product(matrixView, xView, yView, rows, cols) {
    const bytes = matrixView.byteLength + xView.byteLength + yView.byteLength;
    ensure(bytes + 64);
    const m = 0, x = matrixView.byteLength, y = x + xView.byteLength;
    write(m, matrixView); write(x, xView); write(y, yView);
    exports.matvec(m, x, y, rows, cols);
    yView.set(new Uint8Array(memory.buffer, y, yView.byteLength));
}

/**
 * Fetches a checkpoint once, reporting progress(loaded, total), and keeps it in the browser's Cache Storage, so a
 * later visit reads it from there and sends no request. Returns its length, negative when it came from the cache.
 */
export async function download(url, progress) {
    const cache = globalThis.caches ? await caches.open(cacheName) : null;
    const hit = cache ? await cache.match(url) : undefined;
    if (hit) {
        downloaded = new Uint8Array(await hit.arrayBuffer());
        return -downloaded.byteLength;
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`The checkpoint could not be downloaded: ${response.status} ${response.statusText}.`);
    const total = Number(response.headers.get('Content-Length')) || 0;
    const reader = response.body.getReader();
    const chunks = [];
    let loaded = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        progress(loaded, total);
    }
    const blob = new Blob(chunks);
    if (cache) await cache.put(url, new Response(blob, { headers: { 'Content-Type': 'application/octet-stream' } }));
    downloaded = new Uint8Array(await blob.arrayBuffer());
    return downloaded.byteLength;
}

/** Hands the bytes of the last download to .NET, then forgets them. */
export function take(view) {
    view.set(downloaded);
    downloaded = null;
}

export async function isCached(url) {
    return globalThis.caches ? (await (await caches.open(cacheName)).match(url)) !== undefined : false;
}

export async function forget(url) {
    if (globalThis.caches) await (await caches.open(cacheName)).delete(url);
}
