/** RFC 4515 filter syntax tree. Ranges are offsets into the filter text. */
import type { TextRange } from '../../../../common/config';

export interface AttributeDescription {
  /** As written, e.g. `cn;lang-en` or `2.5.4.3`. */
  readonly text: string;
  /** The attribute type without options. */
  readonly name: string;
  readonly options: readonly string[];
  readonly range: TextRange;
}

export interface AssertionValue {
  /** As written, `\XX` escapes included. */
  readonly raw: string;
  /** The value's octets with escapes decoded (RFC 4515 §3). */
  readonly bytes: Uint8Array;
  /** `bytes` as UTF-8 (invalid sequences replaced). */
  readonly text: string;
  readonly range: TextRange;
}

export type FilterNode =
  | { readonly type: 'and' | 'or'; readonly filters: readonly FilterNode[]; readonly range: TextRange }
  | { readonly type: 'not'; readonly filter: FilterNode; readonly range: TextRange }
  | {
      readonly type: 'equality' | 'approx' | 'greaterOrEqual' | 'lessOrEqual';
      readonly attribute: AttributeDescription;
      readonly value: AssertionValue;
      readonly range: TextRange;
    }
  | { readonly type: 'present'; readonly attribute: AttributeDescription; readonly range: TextRange }
  | {
      readonly type: 'substrings';
      readonly attribute: AttributeDescription;
      readonly initial?: AssertionValue;
      readonly any: readonly AssertionValue[];
      readonly final?: AssertionValue;
      readonly range: TextRange;
    }
  | {
      readonly type: 'extensible';
      readonly attribute?: AttributeDescription;
      readonly dnAttributes: boolean;
      readonly matchingRule?: { readonly oid: string; readonly range: TextRange };
      readonly value: AssertionValue;
      readonly range: TextRange;
    };
