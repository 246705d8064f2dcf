/*
 * English interface strings. my.ts must have exactly the same keys (the type system and i18n.test.ts
 * both check); `{name}` placeholders are filled by t(). Keys are grouped by area; each area keeps to its block.
 */
export const en = {
  // common
  "app.name": "Undersigned",
  "app.tagline": "Joint open letters from civil society",
  "nav.letters": "Letters",
  "nav.console": "Console",
  "nav.signIn": "Sign in",
  "nav.signOut": "Sign out",
  "nav.language": "Language",
  "nav.skip": "Skip to content",
  "common.save": "Save",
  "common.cancel": "Cancel",
  "common.back": "Back",
  "common.continue": "Continue",
  "common.required": "required",

  // errors (one per AppError code)
  "error.title": "Something went wrong",
  "error.not_found": "This page does not exist or is no longer available.",
  "error.forbidden": "You do not have permission to do that.",
  "error.unauthenticated": "Please sign in to continue.",
  "error.csrf": "This form has expired or was sent from another site. Please reload the page and try again.",
  "error.rate_limited": "Too many attempts. Please wait {minutes} minutes and try again.",
  "error.validation": "Some fields need your attention.",
  "error.conflict": "This was changed by someone else in the meantime. Please reload and try again.",
  "error.invalid_state": "That is not possible in the current state.",
  "error.token_invalid": "This link is invalid, has expired or has already been used.",
  "error.internal": "An unexpected error happened. Nothing you typed was saved; please try again.",
  "error.unavailable": "The service is temporarily unavailable. Please try again shortly.",
  "error.payload_too_large": "What you sent is too large.",

  // field validation
  "field.required": "This field is required.",
  "field.tooLong": "At most {max} characters.",
  "field.email": "Enter an email address like name@example.org.",
  "field.passwordShort": "Use at least {min} characters.",
  "field.passwordMismatch": "The two passwords do not match.",
  "field.code": "Enter the 6-digit code from your authenticator app, or a recovery code.",

  // public pages
  "home.title": "Open letters",
  "home.intro": "Letters published by coalitions of civil-society organisations, with their endorsements.",
  "home.empty": "No letter has been published yet.",
  "letter.endorsedBy": "Endorsed by {total}",
  "letter.published": "Published {date}",
  "letter.letterDate": "Letter dated {date}",
  "letter.subject": "Subject:",
  "letter.signatories": "Signatories",
  "letter.notes": "Notes",
  "letter.readLetter": "Read the letter",
  "letter.sign": "Endorse this letter",
  "campaign.letters": "Letters in this campaign",
  "counts.organisations": "{count} organisations",
  "counts.individuals": "{count} individuals",
  "counts.signatories": "{count} signatories",
  "letter.fallbackLanguage":
    "This letter is not available in your language yet, so it is shown in its original language.",
  "letter.campaign": "Part of the campaign: {name}",
  "letter.otherSignatories": "Other signatories",
  "letter.noSignatories": "No signatory is listed yet.",
  "letter.publisher": "About the publisher",
  "example.badge": "Example",
  "counts.statement":
    "This letter is endorsed by {total}, including {listed} listed below and {undisclosed} that have chosen not to disclose their names.",
  "example.banner":
    "This is an example letter created on first start so you can see how Undersigned works. Its endorsements are fictional.",
  "health.ok": "ok",

  // accounts
  "setup.title": "Set up the first coordinator",
  "setup.intro":
    "This link creates the owner account of this Undersigned server. It works once and expires in 24 hours.",
  "account.name": "Your name",
  "account.email": "Email address",
  "account.password": "Password",
  "account.passwordNew": "New password",
  "account.passwordRepeat": "Repeat the password",
  "account.create": "Create account",
  "login.title": "Sign in",
  "login.submit": "Sign in",
  "login.failed": "The email address or password is not right.",
  "login.forgot": "Forgot your password?",
  "login.codeTitle": "Second factor",
  "login.codeLabel": "Authentication code",
  "login.codeHelp":
    "Open your authenticator app and enter the 6-digit code for Undersigned, or one of your recovery codes.",
  "login.codeFailed": "That code is not right.",
  "login.signedOut": "You have been signed out.",
  "reset.title": "Reset your password",
  "reset.intro":
    "Enter your account's email address. If it exists, we will send a link to choose a new password.",
  "reset.submit": "Send the link",
  "reset.sent": "If an account exists for that address, a link is on its way. It is valid for one hour.",
  "reset.chooseTitle": "Choose a new password",
  "reset.done": "Your password has been changed. Please sign in.",
  "reset.mailSubject": "Reset your Undersigned password",
  "reset.mailBody":
    "Someone (hopefully you) asked to reset the password of your Undersigned account.\n\nChoose a new password here (valid for one hour):\n{link}\n\nIf it was not you, ignore this message; your password stays as it is.",
  "totp.title": "Two-factor authentication",
  "totp.intro":
    "Add this account to an authenticator app (for example Aegis, FreeOTP or Google Authenticator), then enter the code it shows.",
  "totp.secret": "Secret key",
  "totp.enable": "Turn on",
  "totp.enabled": "Two-factor authentication is on.",
  "totp.disabled": "Two-factor authentication is off.",
  "totp.disable": "Turn off",
  "totp.recoveryTitle": "Recovery codes",
  "totp.recoveryIntro":
    "Keep these codes somewhere safe. Each works once if you lose your phone. They are shown only now.",
  "console.title": "Console",
  "console.welcome": "Signed in as {name} ({role}).",
  "console.security": "Security",
  "console.mailbox": "Local mailbox",
  "console.campaigns": "Campaigns",
  "role.owner": "owner",
  "role.coordinator": "coordinator",
  "role.reviewer": "reviewer",
  "console.totpOff": "Two-factor authentication is off for your account.",
  "totp.start": "Set up two-factor authentication",
  "totp.uri": "Or open this link on the device that has your authenticator app:",
  "totp.recoveryLeft": "{count} unused recovery codes left.",
  "totp.disableIntro": "To turn it off, confirm with your password or a current code from your app.",
  "totp.disableFailed": "That password or code is not right.",
  "totp.proofNeeded": "Enter your password or a code from your app.",
  "login.startAgain": "Your sign-in has expired. Please sign in again.",
  "setup.done": "Your owner account is ready. Protect it now with two-factor authentication.",

  // mail
  "mailbox.title": "Local mailbox",
  "mailbox.intro":
    "SMTP_URL is not set, so mail is kept here instead of being sent. Set SMTP_URL to send real mail.",
  "mailbox.empty": "No messages yet.",
  "mailbox.subject": "Subject",
  "mailbox.date": "Date",
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
