/**
 * The seeded PRNG tests and fixtures use, so a generated corpus or a failing random trial can be
 * replayed from its seed: the local cloud's own (its fault injection uses the same generator).
 */
export { mulberry32 } from '../../server/src/localCloud/faults';
