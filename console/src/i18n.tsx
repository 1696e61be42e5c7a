import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

/** Every UI string of the console in English; {name} marks a value filled in. */
const en = {
  consoleTitle: "Groundline console",
  language: "Language",
  apiKey: "API key",
  keyHelp: "Kept for this browser tab only (session storage); the console shows only what the key may do.",
  signIn: "Sign in", noKey: "Continue without a key",
  loading: "Loading…",
  skip: "Skip to content",
  screens: "Screens",
  library: "Library",
  playground: "Playground",
  assist: "Agent assist",
  keyInfo: "Key {name}",
  allCollections: "all collections",
  collectionsOf: "collections: {list}",
  forgetKey: "Forget key",
  noScreen: "This key may not use any console screen.",
  dropHere: "Drop PDFs, Word, Markdown, HTML, text or ticket exports (JSON/CSV) here, or",
  uploadInto: "Upload into collection",
  chooseFiles: "Choose files…",
  filesToUpload: "Files to upload",
  uploads: "Uploads",
  progressOf: "{name} progress",
  collection: "Collection",
  searchTitle: "Search by title",
  noDocuments: "No documents.",
  shownOf: "{from}–{to} of {total}",
  previousPage: "Previous page",
  nextPage: "Next page",
  documents: "Documents",
  colTitle: "Title", colType: "Type", colStatus: "Status", colPages: "Pages", colChunks: "Chunks", colRedactions: "Redactions", colError: "Last error", colActions: "Actions",
  replace: "Replace", replaceLabel: "Replace {title}", newFileFor: "New file for {title}",
  delete: "Delete", deleteLabel: "Delete {title}", deleteTitle: "Delete “{title}”?",
  deleteBody: "It is removed from the collection {collection} and no longer used in answers.",
  cancel: "Cancel", deleted: "Deleted {title}.", deleteFailed: "Could not delete {title}: {why}",
  backToLibrary: "← Library", id: "Id", sectionsAndChunks: "Sections and chunks", noHeading: "(no heading)", sectionLabel: "Section {path}", contents: "Contents",
  chunkN: "Chunk {n}", tokens: "{n} tokens", tokens_one: "{n} token",
  playgroundHelp: "Ask a question as a customer or a bot would; follow-up questions keep the conversation.",
  questionN: "Question {n}", question: "Question", answering: "Answering…", filters: "Filters",
  collectionsInput: "Collections (comma-separated, empty for all)", manuals: "Manuals", tickets: "Tickets",
  ask: "Ask", newConversation: "New conversation",
  citedPassage: "Cited passage {n}", noSection: "(no section)", page: "page {p}", source: "source", closePassage: "Close passage",
  wholeChunk: "The whole passage as the engine stored it", snippetOnly: "The cited sentence", inDocument: "Open in the document",
  citations: "Citations", openCitation: "Open citation {n}: {title}",
  confidence: "Confidence {p}%", answered: "answered", refused: "refused", degraded: "degraded (extractive fallback)", searchedAs: "searched as “{q}”",
  escalate: "Escalate to a person:", rate: "Rate this answer", helpful: "Helpful", notHelpful: "Not helpful",
  feedbackThanks: "Thanks, feedback recorded.", feedbackFailed: "Feedback not recorded: {why}",
  thread: "Customer thread", threadHelp: "Lines starting with “Customer:” or “Agent:” start a message; a thread without prefixes is the customer’s.",
  product: "Product (optional)", suggestReplies: "Suggest replies", working: "Working…", pasteFirst: "Paste the customer's messages first.",
  triage: "Triage", triageLanguage: "Language: {v}", triageSentiment: "Sentiment: {v}", triageIntent: "Intent: {v}", unknown: "unknown",
  triageEscalate: "Escalate: {reason} — “{evidence}”",
  suggestions: "Suggested replies", similarTickets: "Similar past tickets", noneClose: "None close enough.", similar: "{p}% similar", resolution: "Resolution: {v}",
  fromManual: "From the documentation", fromTickets: "From similar tickets", fromHolding: "A holding reply", tone: "tone: {v}",
  citationsOf: "Citations of suggestion {n}", copy: "Copy", copyLabel: "Copy suggestion {n}", copied: "Copied.", copyFailed: "Copy failed: select the text and copy it.",
  placeholderHint: "Placeholder: fill in before sending",
  state_uploading: "uploading", state_waiting: "waiting", state_active: "processing", state_completed: "completed", state_failed: "failed",
  state_delayed: "retrying", state_rejected: "rejected", state_ready: "ready", state_processing: "processing",
  analytics: "Analytics", from: "From", to: "To (exclusive)", apply: "Apply", summary: "Summary", questions: "questions", questions_one: "question",
  answerRate: "answered", escalationRate: "refused or escalated", feedbackUpDown: "helpful / not helpful",
  feedbackUp: "helpful", feedbackDown: "not helpful", outcomesChart: "Questions by outcome", feedbackChart: "Feedback",
  citedChart: "Most cited documents", dailyChart: "Questions per day by outcome", day: "Day (UTC)", showData: "Show the numbers", outcome: "Outcome", count: "Count", rating: "Rating", document: "Document",
  reviewQueue: "Review queue: coverage gaps", reviewHelp: "Refused, low-confidence and down-voted questions, grouped by similarity (questions are stored redacted).",
  noGaps: "No gaps in this period.", gapStats: "{n} questions · average confidence {conf} · {down} down-votes",
  gapStats_one: "{n} question · average confidence {conf} · {down} down-votes",
  gapShow: "Show", gapShowOpen: "Open gaps", gapShowCovered: "Covered by a curated answer", gapShowAll: "All",
  gapCovered: "Covered by the curated answer to “{q}”", exampleCovered: "answered from a curated answer", coveredCount: "{n} covered by curated answers",
  proposals: "Proposed answers", proposalsHelp: "Corrections sent with feedback. None is used in answers until a curator accepts it.",
  noProposals: "No proposed answers.", servedAnswer: "Answer given", proposedAnswer: "Proposed answer", proposedBy: "proposed by {name}, {at}",
  accept: "Accept", acceptLabel: "Accept the proposed answer to “{q}”", editAccept: "Edit and accept", editAcceptLabel: "Edit and accept the proposed answer to “{q}”",
  dismiss: "Dismiss", dismissLabel: "Dismiss the proposed answer to “{q}”", proposalAccepted: "Accepted: curated answer to “{q}” (version {v}).",
  proposalDismissed: "Dismissed the proposed answer to “{q}”.", proposalFailed: "Not done: {why}", proposalFormTitle: "Review the proposed answer",
  curated: "Curated answers", curatedHelp: "Answers your team wrote for questions the documentation does not cover. The engine finds them through retrieval, for the question and its paraphrases, and cites them as curated answers.",
  writeAnswer: "Write answer", writeAnswerFor: "Write answer for “{q}”", curatedFormTitle: "Curated answer", curatedEditTitle: "Edit curated answer (a new version)",
  curatedQuestion: "Question it answers", curatedAnswer: "Answer", curatedAnswerHelp: "Write it as the reply a customer should get; it is redacted like any source.",
  save: "Save", saving: "Saving…", curatedSaved: "Saved version {v} of the curated answer.", curatedSaveFailed: "Not saved: {why}",
  noCurated: "No curated answers yet.", colQuestion: "Question", colVersion: "Version", colAuthor: "Written by", colUpdated: "Updated",
  edit: "Edit", editLabel: "Edit the answer to “{q}”", versions: "Versions", versionsLabel: "Versions of the answer to “{q}”", hideVersions: "Hide versions",
  versionBy: "Version {v} by {author}, {at}", deleteCuratedLabel: "Delete the answer to “{q}”", deleteCuratedTitle: "Delete the curated answer to “{q}”?",
  deleteCuratedBody: "Every version is removed and answers stop using it at once.", curatedBadge: "Curated answer", curatedBy: "curated answer v{v} by {author}, {at}",
  curatedSources: "Curated answers",
  curatedInLibrary: "Change in Curated answers",
};

export type MessageKey = keyof typeof en;

/** Simplified Chinese: every key of `en` (the type says so). */
const zh: Record<MessageKey, string> = {
  consoleTitle: "Groundline 控制台",
  language: "语言",
  apiKey: "API 密钥",
  keyHelp: "仅保存在此浏览器标签页中（会话存储）；控制台只显示该密钥可以使用的功能。",
  signIn: "登录", noKey: "不使用密钥继续",
  loading: "加载中…",
  skip: "跳到主要内容",
  screens: "页面",
  library: "文档库",
  playground: "问答测试",
  assist: "客服助手",
  keyInfo: "密钥 {name}",
  allCollections: "所有集合",
  collectionsOf: "集合：{list}",
  forgetKey: "清除密钥",
  noScreen: "此密钥不能使用任何控制台页面。",
  dropHere: "将 PDF、Word、Markdown、HTML、文本或工单导出文件（JSON/CSV）拖到这里，或",
  uploadInto: "上传到集合",
  chooseFiles: "选择文件…",
  filesToUpload: "要上传的文件",
  uploads: "上传",
  progressOf: "{name} 进度",
  collection: "集合",
  searchTitle: "按标题搜索",
  noDocuments: "没有文档。",
  shownOf: "第 {from}–{to} 个，共 {total} 个",
  previousPage: "上一页",
  nextPage: "下一页",
  documents: "文档",
  colTitle: "标题", colType: "类型", colStatus: "状态", colPages: "页数", colChunks: "分块", colRedactions: "脱敏", colError: "最近错误", colActions: "操作",
  replace: "替换", replaceLabel: "替换 {title}", newFileFor: "{title} 的新文件",
  delete: "删除", deleteLabel: "删除 {title}", deleteTitle: "删除“{title}”？",
  deleteBody: "它将从集合 {collection} 中移除，不再用于回答。",
  cancel: "取消", deleted: "已删除 {title}。", deleteFailed: "无法删除 {title}：{why}",
  backToLibrary: "← 文档库", id: "ID", sectionsAndChunks: "章节与分块", noHeading: "（无标题）", sectionLabel: "章节 {path}", contents: "目录",
  chunkN: "分块 {n}", tokens: "{n} 个词元", tokens_one: "{n} 个词元",
  playgroundHelp: "像客户或机器人一样提问；追问会沿用之前的对话。",
  questionN: "问题 {n}", question: "问题", answering: "正在回答…", filters: "筛选",
  collectionsInput: "集合（逗号分隔，留空表示全部）", manuals: "手册", tickets: "工单",
  ask: "提问", newConversation: "新对话",
  citedPassage: "引用段落 {n}", noSection: "（无章节）", page: "第 {p} 页", source: "来源", closePassage: "关闭段落",
  wholeChunk: "引擎所存的完整段落", snippetOnly: "引用的句子", inDocument: "在文档中打开",
  citations: "引用", openCitation: "打开引用 {n}：{title}",
  confidence: "置信度 {p}%", answered: "已回答", refused: "已拒答", degraded: "降级（抽取式回退）", searchedAs: "检索为“{q}”",
  escalate: "转人工：", rate: "评价此回答", helpful: "有帮助", notHelpful: "没有帮助",
  feedbackThanks: "谢谢，反馈已记录。", feedbackFailed: "反馈未记录：{why}",
  thread: "客户对话", threadHelp: "以“客户：”或“客服：”开头的行开始一条消息；没有前缀的对话视为客户所说。",
  product: "产品（可选）", suggestReplies: "生成建议回复", working: "处理中…", pasteFirst: "请先粘贴客户的消息。",
  triage: "分诊", triageLanguage: "语言：{v}", triageSentiment: "情绪：{v}", triageIntent: "意图：{v}", unknown: "未知",
  triageEscalate: "转人工：{reason} — “{evidence}”",
  suggestions: "建议回复", similarTickets: "相似的历史工单", noneClose: "没有足够相似的工单。", similar: "相似度 {p}%", resolution: "解决方式：{v}",
  fromManual: "来自文档", fromTickets: "来自相似工单", fromHolding: "安抚性回复", tone: "语气：{v}",
  citationsOf: "建议 {n} 的引用", copy: "复制", copyLabel: "复制建议 {n}", copied: "已复制。", copyFailed: "复制失败：请选中文本后手动复制。",
  placeholderHint: "占位符：发送前请填写",
  state_uploading: "上传中", state_waiting: "排队中", state_active: "处理中", state_completed: "已完成", state_failed: "失败",
  state_delayed: "重试中", state_rejected: "被拒绝", state_ready: "就绪", state_processing: "处理中",
  analytics: "数据分析", from: "开始日期", to: "结束日期（不含）", apply: "应用", summary: "概览", questions: "个问题", questions_one: "个问题",
  answerRate: "已回答", escalationRate: "拒答或转人工", feedbackUpDown: "有帮助 / 没有帮助",
  feedbackUp: "有帮助", feedbackDown: "没有帮助", outcomesChart: "各结果的问题数", feedbackChart: "反馈",
  citedChart: "被引用最多的文档", dailyChart: "每日问题数（按结果）", day: "日期（UTC）", showData: "显示数据", outcome: "结果", count: "数量", rating: "评价", document: "文档",
  reviewQueue: "待审队列：覆盖缺口", reviewHelp: "拒答、低置信度和被差评的问题，按相似度分组（问题已脱敏保存）。",
  noGaps: "此期间没有缺口。", gapStats: "{n} 个问题 · 平均置信度 {conf} · {down} 个差评", gapStats_one: "{n} 个问题 · 平均置信度 {conf} · {down} 个差评",
  gapShow: "显示", gapShowOpen: "未解决的缺口", gapShowCovered: "已由精选答案覆盖", gapShowAll: "全部",
  gapCovered: "已由“{q}”的精选答案覆盖", exampleCovered: "已由精选答案回答", coveredCount: "{n} 个已由精选答案覆盖",
  proposals: "建议答案", proposalsHelp: "随反馈提交的更正。在审核者接受之前，不会用于任何回答。",
  noProposals: "没有建议答案。", servedAnswer: "当时的回答", proposedAnswer: "建议的答案", proposedBy: "由 {name} 提交，{at}",
  accept: "接受", acceptLabel: "接受“{q}”的建议答案", editAccept: "编辑后接受", editAcceptLabel: "编辑并接受“{q}”的建议答案",
  dismiss: "驳回", dismissLabel: "驳回“{q}”的建议答案", proposalAccepted: "已接受：“{q}”的精选答案（第 {v} 版）。",
  proposalDismissed: "已驳回“{q}”的建议答案。", proposalFailed: "未完成：{why}", proposalFormTitle: "审核建议答案",
  curated: "精选答案", curatedHelp: "团队为文档未涵盖的问题撰写的答案。引擎通过检索找到它们（原问题及其同义问法），并以精选答案的形式引用。",
  writeAnswer: "撰写答案", writeAnswerFor: "为“{q}”撰写答案", curatedFormTitle: "精选答案", curatedEditTitle: "编辑精选答案（新版本）",
  curatedQuestion: "对应的问题", curatedAnswer: "答案", curatedAnswerHelp: "按照客户应收到的回复来写；与其他来源一样会进行脱敏。",
  save: "保存", saving: "保存中…", curatedSaved: "已保存精选答案的第 {v} 版。", curatedSaveFailed: "未保存：{why}",
  noCurated: "还没有精选答案。", colQuestion: "问题", colVersion: "版本", colAuthor: "撰写者", colUpdated: "更新时间",
  edit: "编辑", editLabel: "编辑“{q}”的答案", versions: "版本", versionsLabel: "“{q}”的答案的各个版本", hideVersions: "隐藏版本",
  versionBy: "第 {v} 版，{author}，{at}", deleteCuratedLabel: "删除“{q}”的答案", deleteCuratedTitle: "删除“{q}”的精选答案？",
  deleteCuratedBody: "所有版本都会被删除，回答会立即停止使用它。", curatedBadge: "精选答案", curatedBy: "精选答案第 {v} 版，{author}，{at}",
  curatedInLibrary: "在精选答案中修改",
  curatedSources: "精选答案",
};

export type Lang = "en" | "zh";
const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, zh };
const STORAGE = "groundline.lang";

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** A job state or document status as the UI says it (the API's code when unknown). */
export function stateText(t: Translate, state: string): string {
  const key = `state_${state}`;
  return key in en ? t(key as MessageKey) : state;
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const Context = createContext<I18n | undefined>(undefined);

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE);
    if (saved === "en" || saved === "zh") return saved;
  } catch {
    // Storage disabled: fall back to the browser's language.
  }
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** The UI language (English or Simplified Chinese): the saved choice, else the browser's language. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => void (document.documentElement.lang = lang === "zh" ? "zh-CN" : "en"), [lang]);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE, next);
    } catch {
      // Not saved: the choice lasts for this page.
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const table = MESSAGES[lang];
    // "1 question", not "1 questions": a key_one message, where there is one, when the count n is 1.
    const t: Translate = (key, values) => (values?.n === 1 && `${key}_one` in table ? table[`${key}_one` as MessageKey] : table[key]).replace(/\{(\w+)\}/g, (m, name: string) => (values && name in values ? String(values[name]) : m));
    return { lang, setLang, t };
  }, [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}

/** The language picker (in the header and on the sign-in page). */
export function LanguagePicker() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang">
      {t("language")}
      <select value={lang} onChange={(e) => setLang(e.target.value === "zh" ? "zh" : "en")}>
        <option value="en" lang="en">English</option>
        <option value="zh" lang="zh-CN">简体中文</option>
      </select>
    </label>
  );
}
