/**
 * The csg3d inference pieces built from a parameter store (training side): bytes of the two graphs
 * with the store's current weights baked in, sessions over them, and writing them into a folder
 * (the shared csgPieces of src/csg-models over this model's graphs).
 */
import { csgPieces } from '../../csg-models/pieces.js';
import type { Csg3dModels } from './evaluator.js';
import { csg3dEncoder, csg3dHead, type Csg3dNetOptions } from './net.js';
import { PIECE_FILES } from './store.js';

const pieces = csgPieces<keyof Csg3dModels, Csg3dNetOptions>(
  { encoder: csg3dEncoder, head: csg3dHead },
  PIECE_FILES,
);

export const { pieceBytes, piecesFromBytes, disposePieces, writePieces } = pieces;
