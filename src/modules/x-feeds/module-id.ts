/** The custom module id (version_information_endpoint, "Custom Modules"), agreed per peer. */
export const X_FEEDS = 'x-feeds'
