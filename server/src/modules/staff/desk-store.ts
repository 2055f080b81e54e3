import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { DomainError } from '../../infra/http/domain-error.js';
import type { StoresService } from './stores.service.js';

/** The store a verification happens at, and every store's name (for "used at …" and 适用门店). */
export interface DeskStore {
  code: string;
  name: string;
  names: ReadonlyMap<string, string>;
}

/**
 * Where the person at the desk works: a clerk always at their own store (a different one asked for is 403); an
 * owner or operator at the store they picked, which must exist.
 */
export async function deskStore(
  stores: StoresService,
  actor: StaffPrincipal,
  requested: string | undefined,
): Promise<DeskStore> {
  const all = await stores.list();
  const names = new Map(all.map((s) => [s.code, s.name]));
  const closed = new Set(all.filter((s) => !s.active).map((s) => s.code));
  if (actor.role === 'clerk') {
    if (!actor.storeCode)
      throw new DomainError('FORBIDDEN', '该店员账号未绑定门店，请联系管理员设置所属门店');
    const own = names.get(actor.storeCode) ?? actor.storeCode;
    if (requested && requested !== actor.storeCode)
      throw new DomainError('FORBIDDEN', `店员只能在本门店（${own}）核销`);
    if (closed.has(actor.storeCode)) throw new DomainError('FORBIDDEN', `${own}已停用，不能核销`);
    return { code: actor.storeCode, name: own, names };
  }
  if (!requested)
    throw new DomainError('VALIDATION_FAILED', '请选择核销门店', { field: 'storeCode' });
  const name = names.get(requested);
  if (!name)
    throw new DomainError('VALIDATION_FAILED', `门店不存在：${requested}`, { field: 'storeCode' });
  // A closed store keeps its history but takes no more verifications.
  if (closed.has(requested)) throw new DomainError('FORBIDDEN', `${name}已停用，不能核销`);
  return { code: requested, name, names };
}

/** Store names for lookups that do not verify anything. */
export async function storeNames(stores: StoresService): Promise<ReadonlyMap<string, string>> {
  return stores.names();
}
