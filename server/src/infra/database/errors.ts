/** A unique index refused a row: on both dialects, the sign that another request got there first. */
export const isUniqueViolation = (err: unknown) => {
  const code =
    (err as { code?: string; driverError?: { code?: string } }).driverError?.code ??
    (err as { code?: string }).code;
  return (
    code === 'ER_DUP_ENTRY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
};
