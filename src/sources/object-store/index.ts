export { classifyObjects, type ClassifiedObject } from './classify-objects.js';
