/** The widget's UI text in English and Simplified Chinese (data-lang="zh"; default: the page's <html lang>). */
const en = {
  open: "Open {title} chat",
  close: "Close chat",
  conversation: "Conversation",
  question: "Your question",
  send: "Send",
  sources: "Sources",
  handoffPrompt: "Would you like to talk to a person?",
  contact: "Contact support",
  email: "Email support",
  person: "Talk to a person",
  mailSubject: "Support request",
  customer: "Customer",
  assistant: "Assistant",
  unreachable: "Sorry, the help service could not be reached.",
  tooMany: "Too many questions right now; please try again in {s} s.",
  refused: "Sorry, the help service refused the question ({detail}).",
  unavailable: "Sorry, the help service is unavailable ({status}).",
  failed: "Sorry, something went wrong: {detail}",
  cutOff: "Sorry, the answer was cut off. Please try again.",
  rate: "Was this answer helpful?",
  helpful: "Helpful",
  notHelpful: "Not helpful",
  thanks: "Thanks for your feedback.",
  rateFailed: "Your feedback could not be sent.",
  clear: "New conversation",
};

export type WidgetText = typeof en;

const zh: WidgetText = {
  open: "打开{title}聊天",
  close: "关闭聊天",
  conversation: "对话",
  question: "您的问题",
  send: "发送",
  sources: "来源",
  handoffPrompt: "需要转接人工客服吗？",
  contact: "联系客服",
  email: "发邮件给客服",
  person: "转人工",
  mailSubject: "客服请求",
  customer: "客户",
  assistant: "助手",
  unreachable: "抱歉，无法连接帮助服务。",
  tooMany: "提问过于频繁，请 {s} 秒后再试。",
  refused: "抱歉，帮助服务拒绝了这个问题（{detail}）。",
  unavailable: "抱歉，帮助服务暂不可用（{status}）。",
  failed: "抱歉，出错了：{detail}",
  cutOff: "抱歉，回答被中断，请重试。",
  rate: "这个回答有帮助吗？",
  helpful: "有帮助",
  notHelpful: "没有帮助",
  thanks: "感谢您的反馈。",
  rateFailed: "反馈未能发送。",
  clear: "新对话",
};

export function widgetText(lang: string): WidgetText {
  return lang.toLowerCase().startsWith("zh") ? zh : en;
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
