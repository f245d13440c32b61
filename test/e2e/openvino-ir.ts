// Reads an OpenVINO IR file (model.xml) as a graph, independently of the
// quantizer, to check which MatMuls NNCF quantized: a MatMul input is
// quantized when a FakeQuantize feeds it, perhaps through reshapes; it is a
// weight when it comes from a Constant, perhaps through a decompression
// (Convert, Subtract, Multiply) or a transpose.

interface Layer {
  readonly name: string;
  readonly type: string;
  /** The layers feeding each input port, in port order. */
  readonly inputs: string[];
}

// Nodes walked through, by their first input, when looking for where an input comes from.
const PASS_THROUGH = new Set(['Reshape', 'Transpose', 'Convert', 'Subtract', 'Multiply', 'Squeeze', 'Unsqueeze']);

function parseLayers(xml: string): Map<string, Layer> {
  const layers = new Map<string, Layer>();
  for (const m of xml.matchAll(/<layer id="(\d+)" name="([^"]*)" type="([^"]+)"/g)) {
    layers.set(m[1] ?? '', { name: m[2] ?? '', type: m[3] ?? '', inputs: [] });
  }
  const edges = [...xml.matchAll(/<edge from-layer="(\d+)" from-port="\d+" to-layer="(\d+)" to-port="(\d+)"/g)]
    .map((m) => ({ from: m[1] ?? '', to: m[2] ?? '', port: Number(m[3]) }))
    .sort((a, b) => a.port - b.port);
  for (const edge of edges) layers.get(edge.to)?.inputs.push(edge.from);
  return layers;
}

/** The type of the first node not in PASS_THROUGH above `id`'s first input chain. */
function origin(layers: Map<string, Layer>, id: string): string {
  let layer = layers.get(id);
  for (let steps = 0; layer !== undefined && PASS_THROUGH.has(layer.type) && steps < 16; steps += 1) {
    layer = layers.get(layer.inputs[0] ?? '');
  }
  return layer?.type ?? 'missing';
}

export interface MatMulQuantization {
  /** MatMuls with at least one input a FakeQuantize feeds. */
  readonly quantized: string[];
  /** MatMuls neither of whose inputs is a weight (attention's Q.K^T and softmax.V). */
  readonly activationProducts: string[];
  /** Those of activationProducts that are quantized. */
  readonly quantizedActivationProducts: string[];
}

export function matMulQuantization(xml: string): MatMulQuantization {
  const layers = parseLayers(xml);
  const quantized: string[] = [];
  const activationProducts: string[] = [];
  for (const layer of layers.values()) {
    if (layer.type !== 'MatMul') continue;
    const origins = layer.inputs.map((input) => origin(layers, input));
    if (origins.includes('FakeQuantize')) quantized.push(layer.name);
    if (!origins.includes('Const')) activationProducts.push(layer.name);
  }
  return { quantized, activationProducts, quantizedActivationProducts: activationProducts.filter((n) => quantized.includes(n)) };
}
