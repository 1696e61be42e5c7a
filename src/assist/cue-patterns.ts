/**
 * Phrase patterns for emotion cues and escalation triggers in customer messages, English and Chinese. Both languages'
 * patterns run on every message (customers mix them). Patterns are deliberately specific: "fire" must not fire on
 * "Fire TV", "smoke" not on "smoke detector", "again" alone is not repeated contact ("I tried again and it worked").
 */

export type EmotionCue = "frustration" | "anger" | "urgency";
export type TriggerKind = "human-requested" | "sensitive-topic" | "repeated-contact";

export const EMOTION_PATTERNS: Readonly<Record<EmotionCue, readonly RegExp[]>> = {
  frustration: [
    /\b(?:frustrat\w*|annoy\w*|fed up|sick (?:and tired )?of|tired of|(?:a )?waste of (?:my )?time|wasting my time|ridiculous|useless|hopeless|pointless|nothing works|(?:still|yet again) (?:not|no|doesn't|isn't|won't|can't)|again and again|over and over|keeps? (?:happening|failing|crashing|dropping|disconnecting|rebooting))\b/i,
    /[!?]{2,}/,
    /烦|郁闷|无语|受够|折腾|浪费.{0,2}时间|多次|好几次|一直(?:没|不)|还是(?:没|不)|反复|总是/u,
  ],
  anger: [
    /\b(?:angry|furious|livid|outraged|outrageous|unacceptable|disgust\w*|pathetic|terrible service|worst|scam\w*|rip[- ]?off|ripped off|incompetent|a joke|ashamed|appalling|disgrace\w*)\b/i,
    /生气|愤怒|气死|恼火|太差|垃圾|骗子|欺骗|坑人|无法接受|不能接受|恶心|离谱/u,
  ],
  urgency: [
    /\b(?:urgent(?:ly)?|asap|as soon as possible|immediately|right (?:now|away)|emergency|today|tonight|at once|time[- ]sensitive|can't wait|need (?:it|this) (?:fixed|working|sorted) (?:now|today))\b/i,
    /紧急|着急|急用|马上|立刻|立即|尽快|赶紧|今天/u,
  ],
};

export const TRIGGER_PATTERNS: Readonly<Record<TriggerKind, readonly RegExp[]>> = {
  // Any phrasing of "let me talk to a person": "talk to someone", "speak to an agent", "a real person", "a human NOW",
  // "human please", "转人工", "人工", "真人". The first match is shown as the escalation's evidence.
  "human-requested": [
    /\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an|the|your|some|one of your)?\s*(?:real\s+|live\s+|actual\s+)?(?:human|person|people|agent|someone|somebody|representative|rep|operator|manager|supervisor|staff|employee)s?\b/i,
    /\b(?:talk|speak|chat|connect me|put me through|transfer me|get me|give me|pass me)\b[^.!?\n]{0,25}?\b(?:human|person|manager|supervisor|someone|somebody|representative|real agent|live agent|an agent)\b/i,
    /\b(?:real|actual|live) (?:person|human|agent)\b|\bhuman (?:agent|being|support)\b|\bescalat(?:e|ion)\b/i,
    /\b(?:a|an|some|any)\s+human\b(?!\s+(?:error|body|rights|nature|mistake))(?:\s+(?:now|please|asap|immediately)\b)?|\bhuman,?\s+(?:now|please|asap)\b/i,
    /\b(?:refund|money back|replacement)\s+or\s+(?:a\s+)?(?:human|person|manager)\b/i,
    /\b(?:want|need|demand|request|ask for)\s+(?:a|an|the|your)?\s*(?:manager|supervisor|human)\b/i,
    /转人工|人工客服|人工服务|找人工|要人工|人工(?!智能)|真人|活人|找.{0,2}(?:经理|主管|负责人)/u,
  ],
  "sensitive-topic": [
    /\b(?:lawyers?|attorneys?|solicitors?|sue|suing|lawsuit|legal action|small claims|take (?:you|this) to court|chargebacks?|charge back|dispute (?:the|this) (?:charge|payment)|consumer protection|trading standards|ombudsman|better business bureau)\b/i,
    /\b(?:cancel(?:l?ing|led)?|terminate|end) (?:my|the|our|this) (?:subscription|plan|membership|service|contract)\b|\bunsubscribe me\b/i,
    // "fire" alone is a brand ("Fire TV", "Kindle Fire", "fire stk") or a fireplace far more often than a fire.
    /\b(?:caught fire|catch(?:es|ing)? fire|on fire(?!\s?place)|fire hazard|(?:a|the) fire (?:started|broke out)|started a fire|flames?|smoke(?!\s?(?:detector|alarm|sensor|test))|smoking|burning|sparks?|sparking|melted|electric(?:al)? shock|shock(?!ed|ing|\s?absorb)|electrocut\w*|explod\w*)\b/i,
    /起火|着火|冒烟|烧焦|烧坏|触电|漏电|爆炸|火花|律师|起诉|法院|诉讼|消协|消费者协会|12315|投诉|拒付|退订|取消订阅|取消会员/u,
  ],
  "repeated-contact": [
    /\b(?:(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)|umpteenth) time|again and again|over and over|(?:contact(?:ed|ing)?|writ(?:e|ing)|call(?:ed|ing)?|e-?mail(?:ed|ing)?|messag(?:ed|ing)|ask(?:ed|ing)|reach(?:ed|ing) out|chat(?:ted|ting)?|here|back) (?:you )?again|still (?:not|isn't|hasn't|doesn't|won't|can't|no|broken|having)|not (?:been )?(?:fixed|resolved|solved) yet|(?:never|nobody|no one) (?:got|gets|came|comes) back|already (?:contacted|called|wrote|written|e-?mailed|told|reported|opened))\b/i,
    /又(?:一次|坏|出现|来|断|掉|不|没|是|要|找|联系)|还是(?:没|不)|第[二三四五六七八九十\d]+次|多次|再次(?:联系|反映|找|出现)|已经(?:联系|反映|说|找)过|一直(?:没|不)/u,
  ],
};

/** A bare "again": repeated contact only when the customer already wrote before in this thread. */
export const WEAK_REPEAT_RE = /\bagain\b|又/iu;

/** The first phrase each pattern finds in `text`. */
export function findAll(patterns: readonly RegExp[], text: string): string[] {
  const out: string[] = [];
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) out.push(m[0].trim());
  }
  return out;
}
