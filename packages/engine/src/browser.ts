/**
 * `@tingjian/engine/browser`: the parts of the engine that the web app runs too, so that the
 * browser and the server share one copy. Nothing here reaches a native module (the tag index's
 * `roaring`), a Node built-in or a large dictionary (the pinyin keys of search-keys.ts); the test
 * packages/web/src/browser-entry.test.ts bundles this entry with Vite and fails if one gets in.
 * Everything here is also exported by the main entry (index.ts), under the same names.
 */

// Dates: a person's age on a date (the engine's one age computation).
export { ageOn } from './dates.ts';

// The rule language: its tree, text form, printing and type check.
export {
  ARITH_OPS,
  binary,
  call,
  childrenOf,
  COMPARE_OPS,
  conditional,
  exprDepth,
  exprFromJson,
  inList,
  literal,
  LOGICAL_OPS,
  MAX_RULE_DEPTH,
  MAX_RULE_LENGTH,
  MAX_SELECTION_LENGTH,
  ref,
  RuleError,
  stripSpans,
  tag,
  unary,
  walk,
  type ArithOp,
  type BinaryNode,
  type BinaryOp,
  type CallNode,
  type CompareOp,
  type ConditionalNode,
  type Expr,
  type InNode,
  type LiteralNode,
  type LiteralValue,
  type LogicalOp,
  type RefNode,
  type Span,
  type TagNode,
  type UnaryNode,
  type UnaryOp,
} from './rules/ast.ts';
export { parseRule } from './rules/parse.ts';
export { printLiteral, printRule } from './rules/print.ts';
export {
  checkCondition,
  typecheck,
  type Catalog,
  type FactDef,
  type FunctionDef,
  type ValueType,
} from './rules/types.ts';

// The selection syntax (人群圈选) over tag codes, with problems an editor can mark.
export {
  parseSelection,
  printSelection,
  quoteSelectionCode,
  readSelection,
  selectionOperands,
  selectionTags,
  type SelectionProblem,
} from './tags/selection.ts';

// The terms: benefit codes and names, severe disability, the registry's enumerations.
export { BENEFIT_NAMES, isSevereDisability } from './terms.ts';
export {
  BENEFIT_CODES,
  DISABILITY_CATEGORIES,
  DISABILITY_GRADES,
  EMPLOYMENTS,
  GENDERS,
  HOUSING_TYPES,
  HUKOU,
  KIN_RELATIONS,
  LABOR_CAPACITIES,
  MARITAL_STATUSES,
  RELATIONS_TO_HEAD,
  SCHOOL_STAGES,
  YES_NO,
  type BenefitCode,
} from './exchange.ts';

// The worklist of a finding: its statuses and the moves between them.
export {
  canMove,
  FINDING_KINDS,
  isClosed,
  LEAD_STATUS_LABELS,
  LEAD_STATUSES,
  needsReason,
  NEXT_STATUS,
  type FindingKind,
  type LeadStatus,
} from './policies/worklist.ts';

// Who may do what: the actions, the roles that may and how far they reach (server and web read the one table).
export {
  ACCESS_ROLES,
  accessTo,
  ACCOUNT_ROLES,
  ACTIONS,
  may,
  PERMISSIONS,
  reachOf,
  refusalOf,
  rolesFor,
  type AccessAnswer,
  type AccessCaller,
  type AccessRole,
  type AccessTarget,
  type AccountRole,
  type Action,
  type Permission,
  type Reach,
} from './access/permissions.ts';
