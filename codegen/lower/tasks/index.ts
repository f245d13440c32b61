// Every task a pipeline's outputs may come from, in the order lowering runs
// them (the order their diagnostics come in). A new task is one more file here.
import type { LoweringContext } from '../context.js';
import type { LoweringTask } from '../task.js';
import { AnswersTask } from './answers.js';
import { ClassifierTask } from './classifier.js';
import { EmbeddingTask } from './embedding.js';
import { EntitiesTask } from './entities.js';
import { RerankTask } from './rerank.js';

export function loweringTasks(context: LoweringContext): readonly LoweringTask[] {
  return [new EmbeddingTask(context), new ClassifierTask(context), new EntitiesTask(context), new AnswersTask(context), new RerankTask(context)];
}
