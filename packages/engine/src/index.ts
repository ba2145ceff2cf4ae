/**
 * `@tingjian/engine`: the whole engine, for the server, the CLI, the bench and tests (Node). The
 * web app imports `@tingjian/engine/browser` (browser.ts), the part of this that needs no native
 * module. Every name is listed: a module's new export is public only once it is added here.
 */

// Dates, id numbers, org codes, the exchange format, name search keys and terms.
export {
  addDays, ageCalculator, ageOn, dateInZone, daysInMonth, digits, formatIsoDate, fromDayNumber, isCalendarDate, isIsoDate, isLeapYear, parseIsoDate,
  toDayNumber, yearsBefore, type IsoDate,
} from './dates.ts';
export {
  checkIdNumber, idBirthDate, idCheckCharacter, idGender, idNumberProblem, maskIdNumber, maskPhone, type Gender, type IdCheck,
} from './ids.ts';
export { ancestorCodes, isWithinScope, orgLevelOf, parentCodeOf, type OrgLevel, type OrgUnit } from './org.ts';

// Who may do what (the table the server refuses by and the web app shows by).
export {
  ACCESS_ROLES, accessTo, ACCOUNT_ROLES, ACTIONS, may, PERMISSIONS, reachOf, refusalOf, rolesFor,
  type AccessAnswer, type AccessCaller, type AccessRole, type AccessTarget, type AccountRole, type Action, type Permission, type Reach,
} from './access/permissions.ts';
export {
  BENEFIT_CODES, COLUMNS, DECIMAL_INTEGER_DIGITS, DECIMAL_MAX, DISABILITY_CATEGORIES, DISABILITY_GRADES, EMPLOYMENTS, FREE_TEXT_MAX, GENDERS,
  HOUSING_TYPES, HUKOU, isNumericColumn, KEY_MAX, KIN_RELATIONS, LABOR_CAPACITIES, MARITAL_STATUSES, NAME_MAX, PHONE_MAX, recordCheck,
  RELATIONS_TO_HEAD, rowKey, SCHOOL_STAGES, TABLES, TAG_MAX, validateRow, wholeRowKey, YES_NO, type BenefitCode, type CellProblem, type ColumnType,
  type EnrollmentRow, type HouseholdRow, type IdentityTagRow, type RecordCheck, type RelationRow, type ResidentRow, type RowByTable, type RowResult,
  type TableName, type TextForm,
} from './exchange.ts';
export { classifySearch, nameSearchKeys, type NameKeys, type SearchKind } from './search-keys.ts';
export { BENEFIT_NAMES, isSevereDisability } from './terms.ts';

// The rule language.
export {
  ARITH_OPS, binary, call, childrenOf, COMPARE_OPS, conditional, exprDepth, exprFromJson, inList, literal, LOGICAL_OPS, MAX_RULE_DEPTH,
  MAX_RULE_LENGTH, MAX_SELECTION_LENGTH, ref, RuleError, stripSpans, tag, unary, walk, type ArithOp, type BinaryNode, type BinaryOp, type CallNode,
  type CompareOp, type ConditionalNode, type Expr, type InNode, type LiteralNode, type LiteralValue, type LogicalOp, type RefNode, type Span,
  type TagNode, type UnaryNode, type UnaryOp,
} from './rules/ast.ts';
export { parseRule } from './rules/parse.ts';
export { printLiteral, printRule } from './rules/print.ts';
export { checkCondition, typecheck, type Catalog, type FactDef, type FunctionDef, type ValueType } from './rules/types.ts';
export { evaluateColumns, evaluateNumbers, evaluateTruth, F, T, U, type Column, type ColumnSource } from './rules/columnar.ts';
export { evaluateScalar, explainRule, type Explanation, type FactValue, type Outcome, type ScalarSource, type Trace } from './rules/explain.ts';

// The population in memory and its facts.
export {
  CODED_FACTS, dateKey, householdRepresentatives, lazyLookup, membersOf, OPEN_END, patchPopulation, PopulationBuilder, positionsOfSorted,
  sortedLookup, subPopulation, type CodedFact, type HouseholdInput, type Lookup, type PeriodList, type PersonInput, type Population,
  type PopulationPatch,
} from './population/population.ts';
export { completedYears, NONE_WHEN_EMPTY, PERSON_FACTS, PERSON_FUNCTIONS, personCatalog, PopulationOnDate } from './population/facts.ts';
export { decodePopulation, encodePopulation } from './population/codec.ts';

// Tags: the dictionary, the selection syntax and the index (the one user of roaring).
export {
  REFERENCE_TAGS, referenceDictionary, TAG_CATEGORIES, TAG_SOURCE_LABELS, TAG_SOURCES, tagAppliesTo, tagCodeClashes, tagEditableBy, tagVisibleTo,
  type TagCategory, type TagDefinition, type TagSource,
} from './tags/dictionary.ts';
export {
  parseSelection, printSelection, quoteSelectionCode, readSelection, selectionOperands, selectionTags, type SelectionProblem,
} from './tags/selection.ts';
export { TagIndex, type Bitmap, type IndexedTag, type RankedPage } from './tags/tag-index.ts';

// Policies: the pack, the scan, simulation and the worklist of findings.
export {
  compilePack, PackError, policyCatalog, type CompiledPack, type CompiledPolicy, type PackDef, type ParameterDef, type ParameterValue,
  type PolicyDef, type ScenarioDef,
} from './policies/pack.ts';
export {
  Amounts, candidateRows, explainPolicy, findings, householdCandidateRows, patchFindings, rescanHouseholds, scanPopulation, type Finding,
  type PolicyColumns, type PolicyExplanation, type ScanResult,
} from './policies/scan.ts';
export { compareScans, type PolicyImpact } from './policies/simulate.ts';
export {
  canMove, FINDING_KINDS, isClosed, LEAD_STATUS_LABELS, LEAD_STATUSES, needsReason, NEXT_STATUS, type FindingKind, type LeadStatus,
} from './policies/worklist.ts';

// The needs assessment.
export {
  achievementsToDeprivations, AF_TOLERANCE, alkireFoster, alkireFosterRowByRow, BAND_NAMES, BAND_NONE, BAND_POOR, BAND_SEVERE, BAND_VULNERABLE,
  DEFAULT_SEVERE_FROM, DEFAULT_VULNERABLE_FROM, DEPRIVED, NOT_DEPRIVED, UNKNOWN, validateWeights, type AfAggregate, type AfBand, type AfCardinal,
  type AfIndicator, type AfInput, type AfResult, type AfRowByRowResult, type AfRowUnit,
} from './assessment/alkire-foster.ts';
export {
  assessPopulation, compileFramework, FrameworkError, parseFraction, type AreaAssessment, type Assessment, type CompiledFramework, type FrameworkDef,
  type HouseholdAssessment, type IndicatorDef,
} from './assessment/framework.ts';
export {
  checkVisitAnswer, deriveQuestionnaire, factsOfRule, isFactMissing, membersOn, populationWithAnswers, VISIT_FACTS, visitFactsOfRule,
  type Questionnaire, type VisitAnswer, type VisitFact, type VisitInput, type VisitQuestion,
} from './assessment/questionnaire.ts';
