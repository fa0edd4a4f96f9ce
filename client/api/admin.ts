// Typed calls for the admin console's routes (docs/api.md, "Admin console").
import type { AdminUser, ErasureInProgress, InvitationCreated, OutboxStatusView, RegistrationInvitation, RegistrationPolicy, RegistrationPolicySetting } from '../../shared/admin';
import type { Me, Page, Role } from '../../shared/api';
import { query, request } from './http';

const id = encodeURIComponent;

export const adminApi = {
  findUsers: (q: string) => request<Page<AdminUser>>('GET', `/api/admin/users${query({ q })}`),
  setRoles: (userId: string, roles: Role[]) => request<Me>('PUT', `/api/admin/users/${id(userId)}/roles`, { roles }),
  setMembership: (userId: string, isMember: boolean) => request<Me>('PUT', `/api/admin/users/${id(userId)}/membership`, { isMember }),
  suspend: (userId: string, reason: string) => request<AdminUser>('POST', `/api/admin/users/${id(userId)}/suspend`, { reason }),
  reinstate: (userId: string, reason: string) => request<AdminUser>('POST', `/api/admin/users/${id(userId)}/reinstate`, { reason }),

  registrationPolicy: () => request<RegistrationPolicySetting>('GET', '/api/admin/registration-policy'),
  setRegistrationPolicy: (policy: RegistrationPolicy) => request<RegistrationPolicySetting>('PUT', '/api/admin/registration-policy', { policy }),
  registrations: () => request<Page<AdminUser>>('GET', `/api/admin/registrations${query({ limit: 50 })}`),
  approve: (userId: string) => request<AdminUser>('POST', `/api/admin/registrations/${id(userId)}/approve`),
  decline: (userId: string) => request<void>('POST', `/api/admin/registrations/${id(userId)}/decline`),
  invitations: () => request<Page<RegistrationInvitation>>('GET', `/api/admin/invitations${query({ limit: 50 })}`),
  createInvitation: (input: { maxUses: number; expiresInDays: number; label: string }) => request<InvitationCreated>('POST', '/api/admin/invitations', input),
  revokeInvitation: (invitationId: string) => request<RegistrationInvitation>('DELETE', `/api/admin/invitations/${id(invitationId)}`),

  outbox: () => request<OutboxStatusView>('GET', '/api/admin/outbox'),
  erasures: () => request<Page<ErasureInProgress>>('GET', '/api/admin/erasures'),
};
