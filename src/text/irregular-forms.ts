/**
 * Simple past forms of irregular English verbs read as their past participle. Porter stemming gives a regular verb's
 * past and participle one stem ("booted" → "boot"), but an irregular verb's differ: a customer's "I broke the grub
 * config" never met the heading "Recovering a Broken System", nor "it froze" a note on a frozen screen. Manuals write
 * the participle ("is broken", "was written", "are hidden") and customers tell what happened in the past tense, so the
 * past form is mapped onto the participle, not both onto the base verb: words manuals use stay as they are (mapping
 * "shown", "built" or "sent" to their base verb moved other questions' rankings on pdf-manuals: three lost at rank 1 for one won).
 *
 * Only past forms that are no other common word: not "saw" (the tool), "spoke" (a wheel's), "rose", "lay", "ate"
 * (too short to be safe) or "left" (past = participle anyway). Forms that equal the participle need nothing.
 */
const PARTICIPLE_OF: ReadonlyMap<string, string> = new Map(
  (
    "broke:broken chose:chosen froze:frozen wrote:written took:taken gave:given hid:hidden began:begun ran:run " +
    "went:gone drew:drawn threw:thrown grew:grown flew:flown stole:stolen woke:woken tore:torn wore:worn rode:ridden " +
    "fell:fallen drove:driven shook:shaken swore:sworn knew:known forgot:forgotten sank:sunk rang:rung sang:sung " +
    "came:come became:become overwrote:overwritten rewrote:rewritten mistook:mistaken undid:undone withdrew:withdrawn " +
    "forbade:forbidden forgave:forgiven"
  )
    .split(" ")
    .map((pair) => pair.split(":") as [string, string]),
);

/** The past participle for an irregular simple past ("broke" → "broken"), else the word itself. */
export function participleOf(word: string): string {
  return PARTICIPLE_OF.get(word) ?? word;
}
