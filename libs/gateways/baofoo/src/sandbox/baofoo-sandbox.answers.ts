import { stringifyBaofooContent } from '../baofoo.codec';
import { signBaofoo } from '../baofoo.signer';
import { BAOFOO_ENVELOPE, BAOFOO_RETURN_CODE, type BaofooAnswerEnvelope, type BaofooResultData } from '../baofoo.types';

/** A `dataContent` before it is written: Baofoo's result fields and whatever the method adds. */
export type AnswerData = BaofooResultData & Record<string, unknown>;

/** Who an answer goes to: the request's merchant, terminal and certificate serial. */
export interface AnswerAddress {
  merId: string;
  terId: string;
  /** The request's `signSn`: the answer's `ncrptnSn`. */
  signSn: string;
}

/** An answer before any misbehaviour: its envelope, and what a fault needs to alter it. */
export interface SandboxAnswer {
  envelope: BaofooAnswerEnvelope;
  to?: AnswerAddress;
  data?: AnswerData;
  /** `outTradeNo` of the refund the answer is about. */
  outTradeNo?: string;
  /** That refund's `refundAmt`, for an `other_amount` answer that carries no amount of its own. */
  refundAmt?: number;
}

/** Baofoo's certificate serial, as its answers name it. */
const PLATFORM_SIGN_SN = '1';

/** Writes Baofoo's answers, signed with its private key, and their faulty variants. */
export class BaofooSandboxAnswers {
  constructor(private readonly options: { privateKeyPem: string; uppercase: boolean }) {}

  /** A call Baofoo could not read as a call: `returnCode` FAIL, no `dataContent`, nothing signed. */
  static communicationFailure(returnMsg: string): SandboxAnswer {
    return { envelope: { returnCode: BAOFOO_RETURN_CODE.fail, returnMsg } };
  }

  /** The answer envelope with `data` as its signed `dataContent`. */
  signed(to: AnswerAddress, data: AnswerData): SandboxAnswer {
    const dataContent = stringifyBaofooContent(data);
    const signStr = signBaofoo({
      privateKeyPem: this.options.privateKeyPem,
      content: dataContent,
      keyName: 'Baofoo sandbox key',
    });
    return {
      envelope: {
        returnCode: BAOFOO_RETURN_CODE.success,
        returnMsg: '成功',
        merId: to.merId,
        terId: to.terId,
        charset: BAOFOO_ENVELOPE.charset,
        version: BAOFOO_ENVELOPE.version,
        format: BAOFOO_ENVELOPE.format,
        signType: BAOFOO_ENVELOPE.signType,
        signSn: PLATFORM_SIGN_SN,
        ncrptnSn: to.signSn,
        signStr: this.options.uppercase ? signStr.toUpperCase() : signStr,
        dataContent,
      },
      to,
      data,
    };
  }

  /** The real answer with a `signStr` that is still hex of the right length but signs nothing: another key's. */
  badlySigned(answer: SandboxAnswer | undefined): BaofooAnswerEnvelope {
    const envelope = answer?.envelope ?? {};
    return envelope.signStr ? { ...envelope, signStr: [...envelope.signStr].reverse().join('') } : envelope;
  }

  /** The real answer without `signStr`. */
  unsigned(answer: SandboxAnswer | undefined): BaofooAnswerEnvelope {
    const { signStr: _signStr, ...rest } = answer?.envelope ?? {};
    return rest;
  }

  /**
   * The real answer, correctly signed, about another refund: `other_refund` changes our `outTradeNo`,
   * `other_amount` every amount it carries (and gives an amount-less query answer a `succAmt` of another
   * amount). Answers about no refund (refusals) go out unchanged.
   */
  aboutAnother(mode: 'other_refund' | 'other_amount', answer: SandboxAnswer | undefined): BaofooAnswerEnvelope {
    if (!answer?.to || !answer.data || !answer.outTradeNo) return answer?.envelope ?? {};
    const data: AnswerData = { ...answer.data };
    if (mode === 'other_refund') {
      data['outTradeNo'] = `${answer.outTradeNo}X`;
    } else {
      const amounts = ['refundAmt', 'totalAmt', 'succAmt'].filter((name) => typeof data[name] === 'number');
      for (const name of amounts) data[name] = (data[name] as number) + 1;
      if (amounts.length === 0) data['succAmt'] = (answer.refundAmt ?? 0) + 1;
    }
    return this.signed(answer.to, data).envelope;
  }
}
