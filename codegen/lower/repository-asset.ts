/**
 * A file of the model version directory: copied from a path, written from
 * text, or made by a build step (the int8 model: codegen/compile/precision-step.ts),
 * which resolves it to a path before the repository is written.
 */
export type RepositoryAsset =
  | { readonly file: string; readonly copyFrom: string }
  | { readonly file: string; readonly contents: string }
  | { readonly file: string; readonly builtBy: 'precision' };
