// Label names of classify() and tokenClassify(): from the DSL, a labels file,
// config.json's id2label, or LABEL_<id>; one per class of the model.
import type { LabelSource } from '../dsl/stage-options.js';
import type { ClassifyNode, TokenClassifyNode } from '../dsl/graph.js';
import { resolveAssetPath } from '../model-files/asset-path.js';
import { readConfigId2Label, readLabelsFile, type LabelMapRead } from '../model-files/label-map.js';
import type { LoweringContext } from './context.js';

/** The label names of classify() or tokenClassify(), numLabels of them; undefined after reporting why not. */
export function labelNames(
  context: LoweringContext,
  node: ClassifyNode | TokenClassifyNode,
  labels: LabelSource | undefined,
  numLabels: number,
): string[] | undefined {
  const call = node.stage;
  const report = (message: string): void => context.report(node, `${call}: ${message}`);
  let read: LabelMapRead = { labels: Array.from({ length: numLabels }, (_, id) => `LABEL_${id}`) };
  let from = 'the default names';
  if (labels !== undefined && 'names' in labels && labels.names !== undefined) {
    read = { labels: [...labels.names] };
    from = 'labels.names';
  } else if (labels !== undefined && (labels.labelsFile !== undefined || labels.configJson !== undefined)) {
    const given = labels.labelsFile ?? labels.configJson ?? '';
    const what = labels.labelsFile !== undefined ? `${call}: labels file` : `${call}: config.json`;
    const path = resolveAssetPath(context.pipelineFile, given, what, context.at(node), context.diagnostics);
    if (path === undefined) return undefined;
    read = labels.labelsFile !== undefined ? readLabelsFile(path, given) : readConfigId2Label(path, given);
    from = given;
  }
  if ('problem' in read) {
    report(read.problem);
    return undefined;
  }
  if (read.labels.length !== numLabels) {
    report(`${read.labels.length} label names from ${from}, but the model's logits have ${numLabels} classes`);
    return undefined;
  }
  return [...read.labels];
}
