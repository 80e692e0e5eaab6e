import { parseArgs } from 'node:util';

import { MEANWHILE_WORK, type MeanwhileWork } from './call-out';
import { runCampaign } from './campaign';
import { PLANTED_BUGS, type PlantedBug } from './planted-bugs';
import { SIMULATED_GATEWAYS, type SimGatewayId } from './sim-gateway';

const USAGE = `npm run simulate -- [--seeds N] [--seed S [--path P]] [--gateway leshua|chaoying|baofoo|umf] [--database sqlite|postgresql] [--steps M] [--no-shrink] [--plant BUG]
  --seeds N     run N seeds (default 100), from --seed or 1
  --seed S      the first seed; alone, replays that seed
  --path P      with --seed and --replay-path: replays the shrunk counterexample a failure printed
  --gateway G   the gateway simulated through its real module: leshua (the default), chaoying, baofoo, umf
  --database D  sqlite (a file, the default) or postgresql (REFUNDHUB_TEST_PG_URL's server, a database per
                seed; slower, with row locks between connections)
  --steps M     steps per seed before the quiet phase (default 25)
  --no-shrink   report the first failure as found, without looking for a shorter trace
  --plant BUG   plant a known defect (${Object.keys(PLANTED_BUGS).join(', ')}), to see the simulation find it`;

/** `npm run simulate`: a campaign of seeds, its rates, and the first failure with how to replay it. */
export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seeds: { type: 'string' },
      seed: { type: 'string' },
      path: { type: 'string' },
      'replay-path': { type: 'string' },
      gateway: { type: 'string', default: 'leshua' },
      database: { type: 'string', default: 'sqlite' },
      steps: { type: 'string', default: '25' },
      'no-shrink': { type: 'boolean', default: false },
      plant: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return usage(0);
  if (!(SIMULATED_GATEWAYS as readonly string[]).includes(values.gateway)) {
    console.error(`gateway ${values.gateway} is not simulated yet (simulated: ${SIMULATED_GATEWAYS.join(', ')})`);
    return 2;
  }
  if (values.plant !== undefined && !(values.plant in PLANTED_BUGS)) return usage(2);
  if (values.database !== 'sqlite' && values.database !== 'postgresql') return usage(2);
  const dialect = values.database;
  const firstSeed = values.seed === undefined ? 1 : Number(values.seed);
  const seeds = values.seeds === undefined ? (values.seed === undefined ? 100 : 1) : Number(values.seeds);
  const maxSteps = Number(values.steps);
  if (![firstSeed, seeds, maxSteps].every(Number.isSafeInteger) || seeds < 1 || maxSteps < 1) return usage(2);

  const plant = values.plant as PlantedBug | undefined;
  const gateway = values.gateway as SimGatewayId;
  console.log(
    `simulating ${values.gateway} on ${dialect}: seeds ${firstSeed}..${firstSeed + seeds - 1}, up to ${maxSteps} steps each` +
      (plant ? `, planted defect ${plant}` : ''),
  );
  const result = await runCampaign({
    firstSeed,
    seeds,
    maxSteps,
    shrink: !values['no-shrink'],
    path: values.path,
    replayPath: values['replay-path'],
    overrides: plant ? PLANTED_BUGS[plant] : [],
    dialect,
    gateway,
  });
  const seconds = result.elapsedMs / 1000;
  console.log(
    `${result.seedsRun} seeds, ${result.steps} steps in ${seconds.toFixed(1)} s: ` +
      `${(result.seedsRun / seconds).toFixed(2)} seeds/s, ${(result.steps / seconds).toFixed(1)} steps/s, ` +
      `${result.crashesDuringCall} crashes with a submission in flight, ` +
      `${result.crashesDuringSync} with a sync's call in flight, ` +
      `${callsOutText(result.callsOut)}` +
      (result.failure && !values['no-shrink'] ? ' (shrinking included)' : ''),
  );
  if (!result.failure) {
    console.log('no invariant broken');
    return 0;
  }
  const { seed, path, replayPath, message } = result.failure;
  console.log(`\nseed ${seed} FAILED:\n${message}`);
  const replay = [
    `--seed ${seed}`,
    `--path ${path}`,
    replayPath ? `--replay-path '${replayPath}'` : '',
    `--steps ${maxSteps}`,
    gateway === 'leshua' ? '' : `--gateway ${gateway}`,
    dialect === 'sqlite' ? '' : `--database ${dialect}`,
    plant ? `--plant ${plant}` : '',
  ];
  console.log(`\nreplay: npm run simulate -- ${replay.filter(Boolean).join(' ')}`);
  return 1;
}

function usage(code: number): number {
  (code === 0 ? console.log : console.error)(USAGE);
  return code;
}

/** How many calls were answered after other work ran while they were out, by that work. */
function callsOutText(callsOut: Record<MeanwhileWork, number>): string {
  const total = MEANWHILE_WORK.reduce((sum, work) => sum + callsOut[work], 0);
  return `${total} calls answered after other work (${MEANWHILE_WORK.map((work) => `${work} ${callsOut[work]}`).join(', ')})`;
}
