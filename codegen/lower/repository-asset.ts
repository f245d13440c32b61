/** A file of the model version directory: copied from a path, or written from text. */
export type RepositoryAsset =
  | { readonly file: string; readonly copyFrom: string }
  | { readonly file: string; readonly contents: string };
