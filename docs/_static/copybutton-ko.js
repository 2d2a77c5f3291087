// sphinx-copybutton 0.5.2 keys its messages by <html lang> but ships no Korean ones, so
// its button said "Copy" and "Copied!" on the Korean pages. This adds Korean to its
// table. It runs after copybutton.js (html_js_files load later than extension scripts)
// and before the buttons are made (on DOMContentLoaded), so copybutton's own code uses
// these words; the two icons' <title>s were already rendered, so they are redone here.
if (typeof messages === "object" && !("ko" in messages)) {
  messages.ko = {
    copy: "복사",
    copy_to_clipboard: "클립보드에 복사",
    copy_success: "복사했습니다!",
    copy_failure: "복사하지 못했습니다",
  };
  if (document.documentElement.lang === "ko" && locale !== "ko") {
    const english = messages[locale];
    locale = "ko";
    iconCheck = iconCheck.replace(english.copy_success, messages.ko.copy_success);
    iconCopy = iconCopy.replace(english.copy_to_clipboard, messages.ko.copy_to_clipboard);
  }
}
