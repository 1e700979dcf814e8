import { describeDomainConformance } from '../../../test/conformance/describe-conformance.js';
import { stringsDefinition } from './index.js';

describeDomainConformance(stringsDefinition, { mode: 'paper' });
describeDomainConformance(stringsDefinition, { mode: 'extended' });
describeDomainConformance(stringsDefinition, { mode: 'extended', taskSource: 'mixed' }, { tasks: 20 });
