/**
 * Secondary indexes of the registry tables, in one place: the first migration creates them, and
 * a bulk import into an empty table drops them and builds them again after loading (building an
 * index over sorted data is several times faster than maintaining it row by row). The keys of
 * households and residents are unique indexes here too; while they are dropped, nothing is stored
 * in the table to look up.
 * A later change to an index is a new migration that also updates this list (008 dropped the
 * whole-row keys of relations, enrollments and identity tags, and the index on relatives; 010 added
 * the committee to the name search indexes).
 */
export interface IndexDef {
  readonly name: string;
  readonly table: 'household' | 'resident' | 'relation' | 'enrollment' | 'identity_tag';
  readonly columns: readonly string[];
  readonly unique?: boolean;
}

export const ENTITY_INDEXES: readonly IndexDef[] = [
  { name: 'household_key', table: 'household', columns: ['household_id'], unique: true },
  { name: 'household_committee', table: 'household', columns: ['committee_code', 'household_id'] },
  { name: 'resident_key', table: 'resident', columns: ['id_number'], unique: true },
  { name: 'resident_household', table: 'resident', columns: ['household_id'] },
  // Prefix searches run as range scans on these (name >= q AND name < q || U+FFFF), in the
  // order of (field, id_number); the committee tests the caller's area from the index (010).
  { name: 'resident_name', table: 'resident', columns: ['name', 'id_number', 'committee_code'] },
  { name: 'resident_pinyin', table: 'resident', columns: ['name_pinyin', 'id_number', 'committee_code'] },
  { name: 'resident_initials', table: 'resident', columns: ['name_initials', 'id_number', 'committee_code'] },
  { name: 'resident_birth', table: 'resident', columns: ['birth_date', 'id_number'] },
  { name: 'resident_committee', table: 'resident', columns: ['committee_code', 'id_number'] },
  { name: 'relation_person', table: 'relation', columns: ['id_number'] },
  { name: 'enrollment_person', table: 'enrollment', columns: ['id_number'] },
  { name: 'identity_tag_person', table: 'identity_tag', columns: ['id_number'] },
];
