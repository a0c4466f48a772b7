/* Tables of unit assessment weights and scores (see the migration of the same name). */

/** 部门考核 weights: the global default (`scope_key` 'global') or one owning unit's override. */
export interface AssessmentWeightSetTable {
  scope_key: string;
  unit_id: string | null;
  weights: string; // JSON {onTime, completeness, validity, adoption, feedback}, percentages summing to 100
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface AssessmentTables {
  assessment_weight_set: AssessmentWeightSetTable;
}
