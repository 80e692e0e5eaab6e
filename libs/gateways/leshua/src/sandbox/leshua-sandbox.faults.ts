import type { LeshuaService } from '../leshua.types';
import type { LeshuaSandboxFaultMode, LeshuaSandboxFaultOptions } from './leshua-sandbox.types';

export interface SandboxFault {
  mode: LeshuaSandboxFaultMode;
  process: boolean;
}

export interface SandboxRejection {
  errorCode: string;
  errorMsg: string;
}

interface Queued<T> {
  service?: LeshuaService;
  remaining: number;
  value: T;
}

/** Misbehaviour scheduled by tests, consumed in order by the calls it matches. */
export class LeshuaSandboxFaults {
  private readonly faults: Array<Queued<SandboxFault>> = [];
  private readonly rejections: Array<Queued<SandboxRejection>> = [];

  failNext(mode: LeshuaSandboxFaultMode, options: LeshuaSandboxFaultOptions = {}): void {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error('times must be a positive integer');
    this.faults.push({
      service: options.service,
      remaining: times,
      value: { mode, process: mode === 'badsign' || (options.process ?? false) },
    });
  }

  rejectNext(rejection: SandboxRejection, service?: LeshuaService): void {
    this.rejections.push({ service, remaining: 1, value: rejection });
  }

  takeFault(service: string): SandboxFault | undefined {
    return take(this.faults, service);
  }

  takeRejection(service: string): SandboxRejection | undefined {
    return take(this.rejections, service);
  }
}

function take<T>(queue: Array<Queued<T>>, service: string): T | undefined {
  const index = queue.findIndex((q) => q.service === undefined || q.service === service);
  if (index < 0) return undefined;
  const entry = queue[index];
  entry.remaining -= 1;
  if (entry.remaining === 0) queue.splice(index, 1);
  return entry.value;
}
