/** Fig. 5 (right) of the seed paper on csg3d: 20 generated scenes of up to 20 shapes, 60 s each. */
import { cadFig5 } from './cad-fig5.js';

export const paperCsg3d = cadFig5({
  id: 'paper-csg3d',
  problem: 'csg3d',
  panel: 'Fig. 5 (right), 3D CAD',
  scenes: 20,
  maxShapes: 20,
  timeoutS: 60,
});
