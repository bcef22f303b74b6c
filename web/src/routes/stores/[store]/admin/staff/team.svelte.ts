import {
  fetchRoles,
  fetchStaff,
  type Invitation,
  inviteStaff,
  ROLE_NAME,
  type Role,
  type RolesList,
  type StaffMember,
  saveRole,
  setStaffRoles,
} from '#lib/api/admin.ts';
import { newIdempotencyKey } from '#lib/api/idempotency.ts';
import { grantableRoles, rolesPhrase, sortRoles, sortStaff } from '#lib/console.ts';
import { FormState } from '#lib/form.svelte.ts';
import { roleLabel } from '#lib/permissions.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { checkEmail } from '#lib/validation.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

export type InviteField = 'email' | 'roles';
export type RoleField = 'name' | 'permissions';

/**
 * The Team page: staff and their roles (staff:manage), inviting staff, changing a member's roles,
 * and the roles with their permissions (staff:manage or roles:manage; editing needs roles:manage).
 */
export class TeamPage {
  readonly frame: ConsoleFrame;
  readonly staff: Resource<StaffMember[]>;
  readonly roles: Resource<RolesList>;
  /** One sentence for the live region after each action. */
  announcement = $state('');

  inviteEmail = $state('');
  inviteRoles: string[] = $state([]);
  readonly inviteForm = new FormState<InviteField>(
    'invite',
    { email: 'Email', roles: 'Roles' },
    { codes: { email_taken: 'email', cannot_grant: 'roles' } },
  );
  /** The invitation just sent. */
  invited: Invitation | undefined = $state();

  /** The member whose roles are being changed, and the roles ticked for them. */
  editing: string | undefined = $state();
  editRoles: string[] = $state([]);
  readonly memberForm = new FormState<'roles'>(
    'member-roles',
    { roles: 'Roles' },
    { codes: { own_roles: 'roles', cannot_grant: 'roles' } },
  );

  /** The existing role being changed; undefined while creating a new one. */
  roleEditing: string | undefined = $state();
  roleName = $state('');
  rolePermissions: string[] = $state([]);
  readonly roleForm = new FormState<RoleField>(
    'role',
    { name: 'Role name', permissions: 'Permissions' },
    { codes: { owner_role_fixed: 'name', cannot_grant: 'permissions' } },
  );
  /** The role last saved, for the confirmation beside the form. */
  savedRole: string | undefined = $state();

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
    const options = (signal: AbortSignal) => ({ signal, fetch: frame.fetch });
    this.staff = new Resource((signal) => frame.guard(fetchStaff(frame.store, options(signal))));
    this.roles = new Resource((signal) => frame.guard(fetchRoles(frame.store, options(signal))));
  }

  readonly canManageStaff: boolean = $derived.by(() => this.frame.can('staff:manage'));
  readonly canManageRoles: boolean = $derived.by(() => this.frame.can('roles:manage'));
  readonly own: readonly string[] = $derived.by(() => this.frame.user?.permissions ?? []);
  readonly me: string | undefined = $derived.by(() => this.frame.user?.userId);

  readonly sortedStaff: StaffMember[] = $derived.by(() => sortStaff(this.staff.data ?? []));
  readonly sortedRoles: Role[] = $derived.by(() => sortRoles(this.roles.data?.items ?? []));
  readonly allPermissions: string[] = $derived.by(() => this.roles.data?.permissions ?? []);
  readonly #split = $derived.by(() => grantableRoles(this.sortedRoles, this.own));
  /** Roles this member of staff may give (all their permissions are theirs too), and the others. */
  readonly grantable: Role[] = $derived(this.#split.grantable);
  readonly beyond: Role[] = $derived(this.#split.beyond);

  async load(): Promise<void> {
    await Promise.all([
      this.canManageStaff ? this.staff.refresh() : undefined,
      this.canManageStaff || this.canManageRoles ? this.roles.refresh() : undefined,
    ]);
  }

  dispose(): void {
    this.staff.dispose();
    this.roles.dispose();
  }

  /** Whether the roles of `member` can be changed here, and if not, why. */
  memberLock(member: StaffMember): string | undefined {
    if (member.id === this.me) return 'That is you: another administrator can change your roles.';
    const grantable = new Set(this.grantable.map((role) => role.name));
    const beyond = (member.roles ?? []).filter((role) => !grantable.has(role));
    if (beyond.length > 0)
      return `Only someone with every permission of ${beyond.map(roleLabel).join(', ')} can change these roles.`;
    return undefined;
  }

  toggle(list: 'inviteRoles' | 'editRoles' | 'rolePermissions', value: string, checked: boolean): void {
    this[list] = checked ? [...new Set([...this[list], value])] : this[list].filter((item) => item !== value);
    if (list === 'inviteRoles') this.inviteForm.touch('roles');
    else if (list === 'editRoles') this.memberForm.touch('roles');
    else this.roleForm.touch('permissions');
  }

  async invite(): Promise<Invitation | undefined> {
    const email = this.inviteEmail.trim();
    const roles = this.grantable.map((role) => role.name).filter((name) => this.inviteRoles.includes(name));
    // One key per submit: a retry of this request cannot send a second invitation.
    const idempotencyKey = newIdempotencyKey();
    const result = await this.inviteForm.submit(
      {
        email: checkEmail(email, 'Enter the email address of the person to invite.'),
        roles: roles.length === 0 ? 'Choose at least one role.' : undefined,
      },
      () =>
        this.frame.guard(
          inviteStaff(this.frame.store, { email, roles }, { fetch: this.frame.fetch, idempotencyKey }),
        ),
    );
    if (!result?.ok) return undefined;
    this.invited = result.data;
    this.inviteEmail = '';
    this.inviteRoles = [];
    this.announcement = `Invited ${result.data.email}. They got an email with a link to join.`;
    await this.staff.refresh();
    return result.data;
  }

  startEditing(member: StaffMember): void {
    this.editing = member.id;
    this.editRoles = [...(member.roles ?? [])];
    this.memberForm.clear();
  }

  stopEditing(): void {
    this.editing = undefined;
    this.editRoles = [];
    this.memberForm.clear();
  }

  async saveMemberRoles(member: StaffMember): Promise<boolean> {
    const roles = this.sortedRoles.map((role) => role.name).filter((name) => this.editRoles.includes(name));
    const result = await this.memberForm.submit(
      { roles: roles.length === 0 ? 'Choose at least one role.' : undefined },
      () => this.frame.guard(setStaffRoles(this.frame.store, member.id, roles, { fetch: this.frame.fetch })),
    );
    if (!result?.ok) return false;
    const updated = result.data;
    this.staff.data = (this.staff.data ?? []).map((existing) =>
      existing.id === updated.id ? updated : existing,
    );
    this.stopEditing();
    this.announcement = `${member.email} now has the ${rolesPhrase(updated.roles ?? roles)}.`;
    return true;
  }

  /** Loads a role into the form to change its permissions. */
  editRole(role: Role): void {
    this.roleEditing = role.name;
    this.roleName = role.name;
    this.rolePermissions = [...role.permissions];
    this.savedRole = undefined;
    this.roleForm.clear();
  }

  newRole(): void {
    this.roleEditing = undefined;
    this.roleName = '';
    this.rolePermissions = [];
    this.roleForm.clear();
  }

  /** Whether a role's permissions can be changed here, and if not, why. */
  roleLock(role: Role): string | undefined {
    if (role.name === 'owner') return 'Fixed: the owner role cannot be changed.';
    if (!role.permissions.every((permission) => this.own.includes(permission)))
      return 'It has permissions you do not have, so you cannot change it.';
    return undefined;
  }

  checkRoleName(name: string): string | undefined {
    if (name === '') return 'Enter a name for the role, e.g. “support-lead”.';
    if (!ROLE_NAME.test(name))
      return 'Use 2 to 40 lowercase letters, digits and hyphens, starting with a letter.';
    if (name === 'owner') return 'The owner role is fixed: it always has every permission.';
    if (this.roleEditing === undefined && this.sortedRoles.some((role) => role.name === name))
      return `There is a role “${roleLabel(name)}” already: use its Edit button to change it.`;
    return undefined;
  }

  async saveRole(): Promise<Role | undefined> {
    const name = this.roleEditing ?? this.roleName.trim().toLowerCase();
    const permissions = this.allPermissions.filter((permission) => this.rolePermissions.includes(permission));
    const beyond = permissions.filter((permission) => !this.own.includes(permission));
    const result = await this.roleForm.submit(
      {
        name: this.checkRoleName(name),
        permissions: beyond.length > 0 ? 'You can only give permissions you have yourself.' : undefined,
      },
      () => this.frame.guard(saveRole(this.frame.store, name, permissions, { fetch: this.frame.fetch })),
    );
    if (!result?.ok || !this.roles.data) return undefined;
    const saved = result.data;
    const known = this.roles.data.items.some((role) => role.name === saved.name);
    this.roles.data = {
      ...this.roles.data,
      items: known
        ? this.roles.data.items.map((role) => (role.name === saved.name ? saved : role))
        : [...this.roles.data.items, saved],
    };
    this.announcement = known
      ? `Saved the role “${roleLabel(saved.name)}”.`
      : `Created the role “${roleLabel(saved.name)}”.`;
    this.newRole();
    this.savedRole = saved.name;
    return saved;
  }
}
