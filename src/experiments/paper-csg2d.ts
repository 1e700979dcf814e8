/** Fig. 5 (left) of the seed paper on csg2d: 20 generated scenes of up to 30 shapes, 30 s each. */
import { cadFig5 } from './cad-fig5.js';

export const paperCsg2d = cadFig5({
  id: 'paper-csg2d',
  problem: 'csg2d',
  panel: 'Fig. 5 (left), 2D CAD',
  scenes: 20,
  maxShapes: 30,
  timeoutS: 30,
});
