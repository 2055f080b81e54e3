export const CONTRACT_ROUTE = 'huoyue:contract-route';
