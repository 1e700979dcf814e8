/**
 * Conformance checks for library users, as Gymnasium ships `check_env`: `checkDomain` for a domain,
 * `checkSearch` for a search algorithm. Both return a report (failures per check) and never throw.
 */
export * from './check-domain.js';
export * from './check-search.js';
export * from './report.js';
export * from './check-problem.js';
export { snapshot } from './snapshot.js';
export {
  createToyDomain,
  toyDefinition,
  type ToyAction,
  type ToyDomain,
  type ToySpec,
  type ToyState,
} from './toy-domain.js';
