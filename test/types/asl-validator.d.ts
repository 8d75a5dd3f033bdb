// asl-validator 4 ships no usable types for its CommonJS default export; only what the tests call is declared.
declare module 'asl-validator' {
  interface AslValidation {
    isValid: boolean;
    errors: unknown[];
    errorsText(separator?: string): string;
  }
  export default function aslValidator(definition: unknown): AslValidation;
}
