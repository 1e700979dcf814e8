import { describeDomainConformance } from '../../../test/conformance/describe-conformance.js';
import { csg2dDefinition } from './index.js';

describeDomainConformance(csg2dDefinition);
describeDomainConformance(csg2dDefinition, { maxObjects: 3, solveIoU: 0.9, maxShapes: 30 }, { tasks: 15 });
