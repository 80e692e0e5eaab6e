# @refundhub/__ID__

__Id__ refund gateway for refundhub. It implements the core `RefundGateway` port, id `__ID__`, and ships
`__Id__Sandbox`, an in-process HTTP simulator of the gateway, as the separate entry `@refundhub/__ID__/sandbox`
(so that a host embedding the module never loads fastify).

**This package was stamped by `npm run new:gateway -- __ID__`.** It is a working skeleton of a simple JSON
gateway: module, options, operator schema, credentials, client, mapper and simulator are complete and pass the
kit's contract suite (`src/__ID__.contract.spec.ts`), but the wire protocol is a **placeholder**. Everything
marked `PLACEHOLDER` or `TODO` must be replaced with what __Id__'s documentation says before a real merchant
uses it.

## What to fill in

1. **The wire protocol** (keep the file names; each file keeps to one concern, as in `@refundhub/leshua`):
   - `__ID__.types.ts`: the request and answer messages, field for field, amounts as the wire carries them;
     the operation names; the status values.
   - `__ID__.options.ts`: the endpoints (`__ID_UPPER___REFUND_PATH`, `__ID_UPPER___QUERY_PATH`), and the
     gateway's own switches, if the documentation leaves points open (add them to `__ID__.config.ts` and
     `__ID__.definition.ts` too, so the operator file can set them).
   - `__ID__.signer.ts`: the real signature rule. The placeholder is MD5 over the sorted `k=v&` string with
     `&key=KEY` appended, uppercase, alike for requests and answers. The kit has the sorted sign string
     (`canonicalPairs`, `joinPairs`, `joinValues`, `withKey`), `md5Hex`, RSA (`signRsa`, `verifyRsa`,
     `rsaPrivateKey`, `rsaPublicKey`), charsets (`encodeText`), the timing-safe compare (`sameSignature`) and
     `VariantVerifier` for rules the documentation leaves ambiguous. Add the documentation's test vectors to a
     `__ID__.signer.spec.ts`.
   - `__ID__.codec.ts`: the body encoding (the placeholder posts and reads flat JSON of strings). Anything the
     parser throws becomes a `malformed` unknown outcome.
   - `__ID__.credentials.ts` and `__ID__.config.ts`: the merchant secrets (the placeholder has one `key`).
   - `__ID__.mapper.ts`: request fields from the port's snapshot, and answer → outcome. Keep the order of the
     checks: signature first, then the answer's code, then "is this answer about our refund and amount"
     (`answerMismatch`), then the status. An unlisted code or status stays `unknown` (`unrecognized`).
   - `__ID__.validation.ts`: the documented field limits (`problems`) and business rules such as a refund
     window (`refusals`, see the kit's `refundWindowRefusal`).
   - `sandbox/__ID__.sandbox.ts`: make the simulator speak the same protocol, with the gateway's real codes.
2. **Notes for PROTOCOLS.md**: where the documentation is ambiguous or contradicts public implementations
   (sign rule variants, encodings, time zones, amount units), what was chosen and why, and how to pin it once
   production logs tell. Record the same here under "Protocol uncertainties", as `@refundhub/leshua` does.
3. **Which codes are definite failures.** Only a code the documentation says means "did not and will not
   refund" may fail a refund (its money is then released). List them as the default of `failedErrorCodes`
   (or document them for operators), the "busy, ask later" codes in `busyErrorCodes`, and the query's
   "no such refund" codes in `notFoundErrorCodes`. Any code not listed leaves the refund `unknown`, to be
   queried: safe, but a person may have to settle it. The simulator's own codes
   (`__ID_UPPER___SANDBOX_MODULE_OPTIONS`) are added by the hosts only for `baseUrl: sandbox`.
4. **Notifications**, if __Id__ sends refund results: see the note in `__ID__.gateway.ts`, then switch the
   contract spec to `notifications: true`.
5. `displayName` in `__ID__.definition.ts`, and this README (usage, options table, field mapping, outcome
   mapping, sandbox), modelled on `libs/gateways/leshua/README.md`.

## Running

```sh
npm install                                   # links the new workspace package
npx jest libs/gateways/__ID__                 # the contract suite against the sandbox
npx eslint libs/gateways/__ID__ --max-warnings 0
npm run typecheck
```

The package is already installed in the standalone hosts (`libs/host/src/gateways/installed-gateways.ts`), so
`gateways.__ID__` in the operator file configures it; `baseUrl: sandbox` runs it against the simulator.

## Usage

```ts
@Module({
  imports: [
    RefundModule.forRoot({ ... }),          // provides CredentialsProvider globally
    __Id__Module.forRoot({ baseUrl: 'https://…' }),
  ],
})
export class AppModule {}
```

The module asks the global `CredentialsProvider` with `get('__ID__', merchantId)` for
`{ key: string }` (`__Id__MerchantCredentials`). Keys and the strings built for signing are never logged.
