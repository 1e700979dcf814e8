/**
 * The csg2d inference pieces built from a parameter store (training side): bytes of the three graphs
 * with the store's current weights baked in, sessions over them, and writing them into a folder
 * (the shared csgPieces of src/csg-models over this model's graphs).
 */
import { csgPieces } from '../../csg-models/pieces.js';
import type { Csg2dModels } from './evaluator.js';
import { csg2dHead, csg2dPairEncoder, csg2dSpecEncoder, type Csg2dNetOptions } from './net.js';
import { PIECE_FILES } from './store.js';

const pieces = csgPieces<keyof Csg2dModels, Csg2dNetOptions>(
  { pairEncoder: csg2dPairEncoder, specEncoder: csg2dSpecEncoder, head: csg2dHead },
  PIECE_FILES,
);

export const { pieceBytes, piecesFromBytes, disposePieces, writePieces } = pieces;
