{
  "name": "@refundhub/__ID__",
  "version": "0.1.0",
  "description": "__Id__ refund gateway module for refundhub, with an HTTP simulator of the gateway.",
  "license": "UNLICENSED",
  "main": "dist/index.js",
  "types": "dist/index.d.ts",
  "exports": {
    ".": {
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    },
    "./sandbox": {
      "types": "./dist/sandbox/index.d.ts",
      "default": "./dist/sandbox/index.js"
    },
    "./package.json": "./package.json"
  },
  "typesVersions": {
    "*": {
      "sandbox": [
        "dist/sandbox/index.d.ts"
      ]
    }
  },
  "files": [
    "dist",
    "!dist/.tsbuildinfo",
    "!dist/**/*.map",
    "README.md"
  ],
  "dependencies": {
    "zod": "4.1.12"
  },
  "peerDependencies": {
    "@nestjs/common": "^11.0.0",
    "@refundhub/core": "0.1.0",
    "@refundhub/gateway-kit": "0.1.0",
    "@fastify/formbody": "^8.0.0",
    "fastify": "^5.4.0"
  },
  "peerDependenciesMeta": {
    "@fastify/formbody": {
      "optional": true
    },
    "fastify": {
      "optional": true
    }
  }
}
