// The caller a checked token speaks for: who, with which role, within which tenant scope.

import type { Role } from '../db/resources.js';
import type { Scope } from '../db/store.js';

export interface Principal {
  id: number;
  role: Role;
  scope: Scope;
}
