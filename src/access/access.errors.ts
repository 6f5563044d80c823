/** What memberships and roles can refuse on their own terms. */
export enum AccessErrorCode {
  /** Delete a role someone still holds: reassign them first. */
  RoleInUse = 'ROLE_IN_USE',
}
