// Names of an OpenVINO engine's model files in the model version directory:
// lowering puts them in the IR and the repository, and the emitted pipeline
// spec names the FP32 one an int8 engine falls back to.
export const modelFileName = 'model.onnx';
/** The quantized model (written by the build's precision step). */
export const int8ModelFiles = { xml: 'model.int8.xml', bin: 'model.int8.bin' } as const;
