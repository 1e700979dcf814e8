import { describeDomainConformance } from '../../../test/conformance/check-domain.js';
import { stringsDefinition } from './index.js';

describeDomainConformance(stringsDefinition, { mode: 'paper' });
describeDomainConformance(stringsDefinition, { mode: 'extended' });
describeDomainConformance(stringsDefinition, { mode: 'extended', taskSource: 'mixed' }, { tasks: 20 });
