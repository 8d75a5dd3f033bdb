import type { Stack } from 'aws-cdk-lib';
import { acknowledgeWildcards } from './nag.js';

/** cdk-nag AwsSolutions findings accepted in the central stack (each reason is given where the resource is made). */
export function centralSuppressions(stack: Stack): void {
  acknowledgeWildcards(stack);
}
