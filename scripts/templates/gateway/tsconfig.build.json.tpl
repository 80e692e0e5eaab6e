{
  "extends": "../../../tsconfig.base.json",
  "compilerOptions": {
    "sourceMap": false,
    "composite": true,
    "rootDir": "src",
    "outDir": "dist",
    "tsBuildInfoFile": "dist/.tsbuildinfo"
  },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.spec.ts", "src/**/testing/**"],
  "references": [{ "path": "../../refund-core/tsconfig.build.json" }, { "path": "../kit/tsconfig.build.json" }]
}
