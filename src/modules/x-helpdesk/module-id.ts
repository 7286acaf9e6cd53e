/** ModuleID of the extension in version details (version_information_endpoint "Custom Modules"). */
export const X_HELPDESK = 'x-helpdesk'
