import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { projectRoot } from '../project-root.js';

export type TemplateName = 'pipeline_spec.cc' | 'CMakeLists.txt' | 'config.pbtxt';

const compiled = new Map<TemplateName, HandlebarsTemplateDelegate>();

/**
 * Renders codegen/emit/templates/<name>.hbs. Views hand templates finished,
 * already quoted strings, so nothing is HTML-escaped; `strict` makes a
 * missing view field an error instead of an empty string.
 */
export function renderTemplate(name: TemplateName, view: object): string {
  let template = compiled.get(name);
  if (template === undefined) {
    const path = join(projectRoot(), 'codegen', 'emit', 'templates', `${name}.hbs`);
    template = Handlebars.compile(readFileSync(path, 'utf8'), { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(view);
}
