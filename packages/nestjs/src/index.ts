export { KeygateModule } from './keygate.module';
export { KeygateGuard, presentedKey } from './keygate.guard';
export { KeygateVerifier, type Verification } from './keygate-verifier';
export { Public, RequireScope } from './decorators';
export { KeygatePrincipal } from './keygate-principal';
export type { KeygateModuleOptions } from './keygate.options';
