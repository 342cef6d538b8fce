/** Markdown documentation of spec entries, shared by hover and completion. */
import { describeType, type Spec } from './config/specTypes';

export function docOfSpec(spec: Spec): string {
  const lines = [spec.doc, '', `Type: ${describeType(spec)}.`];
  if (spec.defaultText) lines.push(`Default: ${spec.defaultText}.`);
  else if (spec.default !== undefined) lines.push(`Default: \`${JSON.stringify(spec.default)}\`.`);
  return lines.join('\n');
}
